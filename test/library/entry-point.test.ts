import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Embeddings, clusterWords, formPhrases, readVocabularyFile, trainEmbeddings } from '../../src/index.js';
import { caseDirectories } from '../support/case-dirs.js';
import { TOPICS, WORDS_PER_TOPIC, plantedCorpus, topicOf } from '../support/planted-corpus.js';

// What a library user does without the CLI, through the entry point only: join collocations,
// train while saving the vocabulary, read the vocabulary back, and group the words into classes.

const cases = caseDirectories('w2v-library-');

describe('the library entry point', () => {
  it('forms phrases, trains with a saved vocabulary and finds the planted topics as word classes', async () => {
    const { dir } = cases.next();
    // Every fifth sentence opens with the collocation "new york", found nowhere else apart. It
    // scores (300 - 5) / 300² · 12,600 ≈ 41; a pair of topic words about (36 - 5) / 250² · 12,600 ≈ 6.
    const lines = plantedCorpus(1500, 11).trimEnd().split('\n').map((line, i) => (i % 5 === 0 ? `new york ${line}` : line));
    const corpus = path.join(dir, 'corpus.txt');
    writeFileSync(corpus, `${lines.join('\n')}\n`);

    const phrased = path.join(dir, 'phrased.txt');
    const phrases = await formPhrases([corpus], phrased, { minCount: 5, thresholds: [20], workers: 1 });
    assert.equal(phrases.passes.length, 1);
    const text = readFileSync(phrased, 'utf8');
    const phrasedLines = text.split('\n').slice(0, -1);
    assert.equal(phrasedLines.length, 1500);
    assert.ok(phrasedLines.every((line, i) => (i % 5 === 0) === line.startsWith('new_york ')), 'the collocation is joined where it stands');
    assert.ok(!/_t|t\d+w\d+_/.test(text), 'no pair of topic words is joined');

    const vocabularyPath = path.join(dir, 'vocab.txt');
    const trained = await trainEmbeddings([phrased], { model: 'sg', loss: 'ns', dim: 16, epochs: 3, minCount: 1, workers: 1, seed: 3 }, {}, { saveVocabulary: vocabularyPath });
    const saved = await readVocabularyFile(vocabularyPath);
    assert.deepEqual(saved.words, trained.vocabulary.words);
    assert.equal(saved.counts[saved.words.indexOf('new_york')], 300);

    const embeddings = new Embeddings({ words: trained.vocabulary.words, dim: trained.dim, vectors: trained.vectors, stride: trained.stride });
    const topicWords = trained.vocabulary.words.filter((w) => w !== 'new_york');
    assert.equal(topicWords.length, TOPICS * WORDS_PER_TOPIC);
    const classes = clusterWords(embeddings, { k: TOPICS + 1, seed: 1, iterations: 20 });
    // Words of one topic share every context: each class should hold one topic's words only.
    const topicsOfClass = new Map<number, Set<string>>();
    for (const word of topicWords) {
      const c = classes.classOf[embeddings.indexOf(word)];
      topicsOfClass.set(c, (topicsOfClass.get(c) ?? new Set()).add(topicOf(word)));
    }
    const mixed = [...topicsOfClass.values()].filter((topics) => topics.size > 1).length;
    assert.ok(mixed <= 1, `classes holding words of several topics: ${mixed} of ${topicsOfClass.size}`);
  });
});
