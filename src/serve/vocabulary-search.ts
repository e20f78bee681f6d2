import { suggestSpellings } from '../query/similar-words.js';

/** What the search box offers for what has been typed so far. */
export interface WordCompletions {
  prefix: string;
  /** Vocabulary words that start with the prefix (ignoring case), most frequent first. */
  completions: string[];
  /** Close spellings when the prefix is not itself a word and nothing starts with it. */
  suggestions: string[];
}

/**
 * Completion and spelling suggestions over a vocabulary kept in frequency order (as word2vec
 * files are). Words are sorted once by their lower-case form, so the words that start with a
 * prefix are one binary search away and a keystroke never scans the whole vocabulary.
 */
export class VocabularySearch {
  private readonly known: Set<string>;
  /** Row numbers (frequency ranks) sorted by lower-case word. */
  private readonly byKey: Uint32Array;
  private readonly keys: string[];

  constructor(private readonly words: readonly string[]) {
    this.known = new Set(words);
    this.keys = words.map((w) => w.toLowerCase());
    this.byKey = Uint32Array.from(words.keys()).sort((a, b) => compare(this.keys[a], this.keys[b]) || a - b);
  }

  has(word: string): boolean {
    return this.known.has(word);
  }

  complete(prefix: string, limit: number): WordCompletions {
    const key = prefix.toLowerCase();
    const ranks: number[] = [];
    if (key.length > 0) {
      for (let at = this.firstAtOrAfter(key); at < this.byKey.length && this.keys[this.byKey[at]].startsWith(key); at++) ranks.push(this.byKey[at]);
    }
    const completions = ranks.sort((a, b) => a - b).slice(0, limit).map((rank) => this.words[rank]);
    const suggestions = completions.length === 0 && key.length > 0 && !this.has(prefix) ? suggestSpellings(prefix, this.words) : [];
    return { prefix, completions, suggestions };
  }

  private firstAtOrAfter(key: string): number {
    let low = 0;
    let high = this.byKey.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compare(this.keys[this.byKey[mid]], key) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

/** Code-unit order: the order in which `startsWith` prefixes form one contiguous run. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
