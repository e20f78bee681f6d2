import { Facts, count, decimal, times } from './facts.js';

/** One published claim, what we measured for it, and how the two compare. */
export interface LiteratureRow {
  claim: string;
  published: string;
  measured: string;
  comment: string;
}

// Published figures, each from the source's own abstract or text (or, where marked, from
// Ruder's 2016 survey "On word embeddings — Part 2: approximating the softmax", which quotes
// them). Only figures found in those texts are used; tables read from images are not.

function range(values: Array<number | undefined>): [number, number] | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length > 0 ? [Math.min(...known), Math.max(...known)] : undefined;
}

type Part = 'time' | 'epochs';
const PART_NAME: Record<Part, string> = { time: 'at equal time', epochs: 'at equal data' };

function perplexity(f: Facts, id: string, part: Part): number | undefined {
  return f.quality(part, id)?.quality?.perplexity;
}

/** "held-out perplexity x vs softmax y at equal time". */
function versusSoftmax(f: Facts, id: string, part: Part): string {
  const ours = perplexity(f, id, part);
  const softmax = perplexity(f, 'softmax', part);
  if (ours === undefined || softmax === undefined) return 'not measured';
  return `held-out perplexity ${decimal(ours, 1)} vs softmax ${decimal(softmax, 1)} ${PART_NAME[part]}`;
}

/**
 * How a loss's held-out perplexity compares with the softmax's: differences under 3% are within
 * what rerunning the same model moves (the runs' own word counts differ at equal time).
 */
function comparedWithSoftmax(f: Facts, id: string, part: Part): 'better' | 'worse' | 'same' | undefined {
  const ours = perplexity(f, id, part);
  const softmax = perplexity(f, 'softmax', part);
  if (ours === undefined || softmax === undefined) return undefined;
  if (Math.abs(ours - softmax) < 0.03 * softmax) return 'same';
  return ours < softmax ? 'better' : 'worse';
}

/** The model's held-out perplexity is (within 10%) that of guessing uniformly over the vocabulary. */
function stuckAtUniform(f: Facts, id: string, part: Part): boolean {
  const run = f.quality(part, id);
  return run?.quality?.perplexity !== undefined && run.quality.perplexity > 0.9 * run.vocabularySize;
}

function describe(comparison: 'better' | 'worse' | 'same' | undefined): string {
  return comparison === 'better' ? 'better than' : comparison === 'worse' ? 'worse than' : comparison === 'same' ? 'level with' : 'not compared with';
}

/** The activations are compared at equal data: at equal time their word counts differ by chance more than their cost. */
function activationComment(f: Facts, id: string, says: { better?: string; worse?: string; other: string }): string {
  const comparison = comparedWithSoftmax(f, id, 'epochs');
  if (comparison === undefined) return '';
  const verdict = comparison === 'better' ? says.better : comparison === 'worse' ? says.worse : undefined;
  return verdict ?? `${comparison === 'same' ? 'No measurable difference (under 3%) at equal data.' : `${describe(comparison)} softmax at equal data, unlike the paper.`} ${says.other}`;
}

export function literatureRows(f: Facts): LiteratureRow[] {
  const sg = f.largest('sg');
  const cbow = f.largest('cbow');
  const fastIds = ['hs', 'hs-balanced', 'ns', 'nce', 'sampled'];
  const spread = range([...fastIds.map((id) => f.speedUp('sg', id, sg)), ...fastIds.map((id) => f.speedUp('cbow', id, cbow))]);
  const ten = f.sizes('sg').find((v) => v >= 9000 && v <= 11000);
  const hsTen = range([f.speedUp('sg', 'hs', ten), f.speedUp('cbow', 'hs', f.sizes('cbow').find((v) => v >= 9000 && v <= 11000))]);
  const huffman = ten ? f.cost('sg', 'hs', ten) : undefined;
  const balanced = ten ? f.cost('sg', 'hs-balanced', ten) : undefined;
  const treeSpeed = huffman && balanced ? huffman.wordsPerSecond / balanced.wordsPerSecond : undefined;
  const d = ten ? f.speedUp('sg', 'dsoftmax', ten) : undefined;
  const dCbow = f.speedUp('cbow', 'dsoftmax', f.sizes('cbow').find((v) => v >= 9000 && v <= 11000));
  const analogy = (id: string) => f.quality('time', id)?.quality?.analogy ?? undefined;
  const rows: LiteratureRow[] = [];

  rows.push({
    claim: 'Avoiding the full softmax cuts training time by 2 to 100×',
    published: 'the range surveyed by Ruder (2016) over hierarchical softmax, sampling and normalisation methods, in language models',
    measured: spread ? `${times(spread[0])} to ${times(spread[1])} (every fast loss, sg and cbow, at the largest V: ${count(sg)} words)` : 'not measured',
    comment: spread
      ? spread[0] > 100
        ? 'Far above it, and for a reason: in word2vec the output layer is the whole model (no hidden layer), so cutting its O(V·d) cost to O(log V·d) or O(k·d) cuts the whole training time, while in the language models behind the 2–100× the hidden layers, untouched by the approximation, bound the gain. The ratio grows with V, as the chart shows.'
        : spread[1] >= 2
          ? 'Within the range; the speed-up grows with V because the softmax costs O(V·d) per prediction and the others O(log V·d) or O(k·d), so a larger vocabulary would widen it further.'
          : 'Below the range at this vocabulary; the ratio grows with V.'
      : '',
  });
  rows.push({
    claim: 'Hierarchical softmax: about 200× faster in training and recognition',
    published: 'Morin & Bengio 2005 (WordNet-constrained tree, 10k-word vocabulary, a neural LM with hidden layers)',
    measured: hsTen ? `${times(hsTen[0])}–${times(hsTen[1])} over the exact softmax at V = ${count(ten)}` : 'not measured',
    comment: hsTen
      ? hsTen[1] < 200
        ? 'Smaller: our exact softmax is a SIMD kernel at full arithmetic rate and the word2vec model has no hidden layer, so a prediction is all output layer on both sides; the 200× was measured against a slower baseline softmax in 2005.'
        : 'At or above it: with no hidden layer, the output layer is all the work, so its 10,000/log2(10,000) ≈ 750× fewer multiply-adds show almost undiluted (less the work outside the output layer: reading, windows, input rows).'
      : '',
  });
  rows.push({
    claim: 'A Huffman tree needs about log2(unigram perplexity) decisions, a balanced one log2 V: about 2× faster at 1M words',
    published: 'Mikolov et al. 2013a; Ruder (2016) quotes 13.3 → 9.16 bits per word on a 10k vocabulary, a 31% speed-up',
    measured: huffman?.meanCodeLength && balanced?.meanCodeLength
      ? `${decimal(balanced.meanCodeLength, 2)} → ${decimal(huffman.meanCodeLength, 2)} decisions per prediction at V = ${count(ten)}; Huffman ${times(treeSpeed)} the words/s of the balanced tree`
      : 'not measured',
    comment: treeSpeed !== undefined
      ? treeSpeed > 1
        ? 'Agrees in direction: fewer decisions per prediction; the words/s gain is smaller than the code-length ratio because the frequent words\' short paths also share the hottest cache lines.'
        : 'Disagrees: the shorter codes did not show as speed here; the run-to-run spread of hs on two threads (BENCHMARKS.md) is of the same size.'
      : '',
  });
  rows.push({
    claim: 'Negative sampling beats hierarchical softmax and NCE on analogies (skip-gram, 1B words: NEG-5 59%, HS 47%, NCE-5 53%)',
    published: 'Mikolov et al. 2013b, Table 1 (no subsampling; with 1e-5 subsampling NEG-5 60%, HS 55%)',
    measured: analogy('ns') !== undefined ? `analogy at equal time: ns ${decimal(analogy('ns'), 4)}, hs ${decimal(analogy('hs'), 4)}, nce ${decimal(analogy('nce'), 4)}` : 'not measured',
    comment: analogy('ns') !== undefined && analogy('hs') !== undefined
      ? (analogy('ns')! > analogy('hs')! ? 'Agrees on ns over hs.' : 'Disagrees on ns over hs: ') +
        ' Our corpus is 2M words, not 1B, CBOW not skip-gram, and the vocabulary is cut to 10k; on small corpora hs is known to do comparatively well (its frequent-word paths are short and well trained).'
      : '',
  });
  const nce = comparedWithSoftmax(f, 'nce', 'time');
  rows.push({
    claim: 'NCE trains more than an order of magnitude faster than maximum likelihood, without losing quality',
    published: 'Mnih & Teh 2012 (neural LM, Penn Treebank); Ruder (2016): about 45× expected with 25 noise samples',
    measured: `${times(f.speedUp('sg', 'nce', ten))} (sg) faster at V = ${count(ten)}; ${versusSoftmax(f, 'nce', 'time')}; ${versusSoftmax(f, 'nce', 'epochs')}`,
    comment: nce === undefined
      ? ''
      : nce === 'better'
        ? 'Agrees on speed, and at equal time the data it gets through outweighs the approximation; at equal data it ' +
          `${comparedWithSoftmax(f, 'nce', 'epochs') === 'worse' ? 'falls behind the exact softmax, as Chen et al. 2016 found (NCE failed to beat the softmax baseline)' : 'holds up'}.`
        : 'Speed agrees; quality does not hold here at equal time, as Chen et al. 2016 also found (NCE failed to beat the softmax baseline).',
  });
  rows.push({
    claim: 'Importance sampling: 19× (Bengio & Senécal 2003); adaptive importance sampling about 100× (2008)',
    published: 'as quoted by Ruder (2016)',
    measured: `sampled softmax ${times(f.speedUp('sg', 'sampled', ten))} (sg) and ${times(f.speedUp('cbow', 'sampled', f.sizes('cbow').find((v) => v >= 9000 && v <= 11000)))} (cbow) at V = ${count(ten)}, ${times(f.speedUp('sg', 'sampled', sg))} at ${count(sg)}`,
    comment: 'Same order: with k = 5 proposals the cost is that of negative sampling plus one small softmax, so the factor is V/(k+1) minus overheads, growing with V.',
  });
  rows.push({
    claim: 'Differentiated softmax is about 2× faster than the softmax in training and at test time, with equal or better perplexity',
    published: 'Chen, Grangier & Auli 2016 (feed-forward LMs; D-softmax and hierarchical softmax "the best strategies for large vocabularies")',
    measured: `${times(d)} (sg), ${times(dCbow)} (cbow) at V = ${count(ten)}, ${times(f.speedUp('sg', 'dsoftmax', sg))} and ${times(f.speedUp('cbow', 'dsoftmax', cbow))} at ${count(sg)}; ${versusSoftmax(f, 'dsoftmax', 'time')}; ${versusSoftmax(f, 'dsoftmax', 'epochs')}`,
    comment: d !== undefined
      ? `Speed agrees. The default bands (10/30/60% of words with 50/30/20% of the dimensions) do 26% of the softmax's multiply-adds, a 3.8× ceiling; ` +
        'the rest goes to what the bands do not shrink: the activation and normalisation over every word, and shorter rows that leave each four-row block less arithmetic per load. ' +
        'At the largest vocabulary the output layer (and each worker\'s copy of it) no longer fits in cache and the passes wait on memory, which the bands cut less than the arithmetic: each band\'s block is a slice of a full-width row, so its cache lines still stride through the whole matrix. ' +
        `On quality it is ${describe(comparedWithSoftmax(f, 'dsoftmax', 'epochs'))} the softmax at equal data, with half the output parameters.`
      : '',
  });
  rows.push({
    claim: 'Sigsoftmax improves on softmax (breaks the softmax bottleneck)',
    published: 'Kanai et al. 2018 (recurrent LMs on PTB and WikiText-2)',
    measured: `${versusSoftmax(f, 'sigsoftmax', 'epochs')}; ${versusSoftmax(f, 'sigsoftmax', 'time')}`,
    comment: activationComment(f, 'sigsoftmax', {
      better: 'Agrees.',
      other: 'The bottleneck argument concerns a hidden size far below the rank of the true log-probability matrix in a language model; word2vec at dimension 100, predicting one word from its window after so few updates, is a different regime.',
    }),
  });
  rows.push({
    claim: 'Taylor softmax: better than softmax on MNIST and CIFAR-10, worse on CIFAR-100 and Penn Treebank (perplexity 147.2 vs 126.7)',
    published: 'de Brébisson & Vincent 2016',
    measured: `${versusSoftmax(f, 'taylor', 'epochs')}; ${versusSoftmax(f, 'taylor', 'time')}`,
    comment: activationComment(f, 'taylor', {
      worse: 'Agrees with their language-model result: the polynomial\'s heavy tail leaves probability spread over many words, which costs most when the vocabulary is large.',
      other: 'Their language-model gap does not show here, where every exact-softmax variant is still close to its starting point after one slice.',
    }),
  });
  const smTaylor = stuckAtUniform(f, 'sm-taylor', 'time');
  rows.push({
    claim: 'Soft-margin Taylor softmax (SM-Taylor) beats softmax in some configuration on every image data set tried',
    published: 'Banerjee et al. 2020, "Exploring alternatives to softmax function"',
    measured: `${versusSoftmax(f, 'sm-taylor', 'epochs')}; ${versusSoftmax(f, 'sm-taylor', 'time')}; soft-margin softmax: ${versusSoftmax(f, 'softmax-margin', 'epochs')}`,
    comment: smTaylor
      ? 'Not with m = 1 from word2vec\'s zero-initialised output layer: the target\'s shifted score starts at z − m = −1, the minimum of 1 + z + z²/2, where its gradient is zero, while every other word is pushed down towards the same point, so the model leaves the uniform guess (perplexity V) slowly if at all: it had not at equal time. The published result is for image classifiers with tuned margins.'
      : activationComment(f, 'sm-taylor', {
          better: 'Agrees, with the one margin tried here (m = 1).',
          other: 'Not with the one margin tried here (m = 1): the result was for image classification with tuned margins; a margin trains for separation, which held-out likelihood does not reward.',
        }),
  });
  return rows;
}
