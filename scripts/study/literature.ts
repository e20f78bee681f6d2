import { LOSS_CONFIGS, type LossConfig } from '../losses/configs.js';
import { INDEX_METHOD } from '../losses/test-time.js';
import { Facts, againstSoftmax, count, decimal, meanSd, speedAgainst, times } from './facts.js';

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

/** "held-out perplexity 123.4 ± 5.6 vs softmax 120.1 ± 2.0 at convergence". */
function atConvergence(f: Facts, id: string): string {
  const ours = f.converged(id);
  const softmax = f.converged('softmax');
  if (!ours || !softmax) return 'not measured in part 3';
  return `held-out perplexity ${meanSd(ours.perplexity)} vs softmax ${meanSd(softmax.perplexity)} in part 3 (V = ${count(f.runs('convergence')[0]?.vocabularySize)}, ${ours.perplexity.n} seeds)`;
}

/** "123.4 vs softmax 120.1 after the 120 s budget". */
function atBudget(f: Facts, id: string): string {
  const ours = f.curveEnd(id);
  const softmax = f.curveEnd('softmax');
  if (ours === undefined || softmax === undefined) return 'not measured on the learning curves';
  return `${decimal(ours, 1)} vs softmax ${decimal(softmax, 1)} after the ${String((f.results.settings as { curves?: { budgetSeconds?: number } }).curves?.budgetSeconds)} s budget`;
}

/**
 * How a loss compares with the softmax at convergence: better or worse only where the ranges
 * over the seeds do not overlap.
 */
function comparedAtConvergence(f: Facts, id: string): 'better' | 'worse' | 'same' | undefined {
  const ours = f.converged(id);
  const softmax = f.converged('softmax');
  if (!ours || !softmax) return undefined;
  const verdict = againstSoftmax(ours, softmax);
  return verdict.startsWith('better') ? 'better' : verdict.startsWith('worse') ? 'worse' : 'same';
}

function describe(comparison: 'better' | 'worse' | 'same' | undefined): string {
  return comparison === 'better' ? 'better than' : comparison === 'worse' ? 'worse than' : comparison === 'same' ? 'level with (within the seeds\' spread)' : 'not compared with';
}

/** The activations and margins are compared at convergence, where their differences mean something. */
function activationComment(f: Facts, id: string, says: { better?: string; worse?: string; other: string }): string {
  const comparison = comparedAtConvergence(f, id);
  if (comparison === undefined) return 'Not measured in part 3.';
  const verdict = comparison === 'better' ? says.better : comparison === 'worse' ? says.worse : undefined;
  return verdict ?? `${comparison === 'same' ? 'No difference beyond the spread of the seeds in part 3.' : `${comparison === 'better' ? 'Better' : 'Worse'} than the softmax in part 3, unlike the paper.`} ${says.other}`;
}

/** The rare band's perplexity of a loss against the softmax's: worse, better or the same over the seeds. */
function rareBand(f: Facts, id: string): { text: string; comparison: 'better' | 'worse' | 'same' } | undefined {
  const ours = f.converged(id)?.bands.rare;
  const softmax = f.converged('softmax')?.bands.rare;
  if (!ours || !softmax) return undefined;
  const comparison = ours.max < softmax.min ? 'better' : ours.min > softmax.max ? 'worse' : 'same';
  return { text: `${f.label(id)} ${meanSd(ours)}`, comparison };
}

const optionOf = (config: LossConfig, name: string) => (config.options as Record<string, unknown>)[name];

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
  const analogy = (id: string) => f.curve(id)?.quality?.analogy ?? undefined;
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
    measured: analogy('ns') !== undefined ? `analogy after the learning curves' budget: ns ${decimal(analogy('ns'), 4)}, hs ${decimal(analogy('hs'), 4)}, nce ${decimal(analogy('nce'), 4)}` : 'not measured',
    comment: analogy('ns') !== undefined && analogy('hs') !== undefined
      ? (analogy('ns')! > analogy('hs')! ? 'Agrees on ns over hs.' : 'Disagrees on ns over hs.') +
        ` Our corpus is ${count(f.results.settings.trainTokens as number | undefined)} tokens of training text, not 1B, CBOW not skip-gram, and the vocabulary is cut to ${count(f.curve('ns')?.vocabularySize)}; ${Math.max(...['ns', 'hs', 'nce'].map((id) => analogy(id) ?? 0)) < 0.02 ? 'analogies stay near zero for every loss at this size' : 'analogy accuracy stays far below the published figures at this size'}, so the comparison is weak; on small corpora hs is known to do comparatively well (its frequent-word paths are short and well trained).`
      : '',
  });
  const nce = comparedAtConvergence(f, 'nce');
  rows.push({
    claim: 'NCE trains more than an order of magnitude faster than maximum likelihood, without losing quality',
    published: 'Mnih & Teh 2012 (neural LM, Penn Treebank); Ruder (2016): about 45× expected with 25 noise samples',
    measured: `${times(f.speedUp('sg', 'nce', ten))} (sg) faster at V = ${count(ten)}; ${atBudget(f, 'nce')}; ${atConvergence(f, 'nce')}`,
    comment: nce === undefined
      ? 'Quality not measured in part 3.'
      : nce === 'worse'
        ? 'Speed agrees; quality does not hold in part 3, as Chen et al. 2016 also found (NCE failed to beat the softmax baseline).'
        : `Agrees: fast, and ${describe(nce)} the exact softmax in part 3.`,
  });
  rows.push({
    claim: 'Importance sampling: 19× (Bengio & Senécal 2003); adaptive importance sampling about 100× (2008)',
    published: 'as quoted by Ruder (2016)',
    measured: `sampled softmax ${times(f.speedUp('sg', 'sampled', ten))} (sg) and ${times(f.speedUp('cbow', 'sampled', f.sizes('cbow').find((v) => v >= 9000 && v <= 11000)))} (cbow) at V = ${count(ten)}, ${times(f.speedUp('sg', 'sampled', sg))} at ${count(sg)}`,
    comment: 'Same order: with k = 5 proposals the cost is that of negative sampling plus one small softmax, so the factor is V/(k+1) minus overheads, growing with V.',
  });
  const top = f.testTimeSizes().at(-1);
  const scan = top === undefined ? undefined : f.testTime('softmax', top);
  const faster = (id: string) => {
    const cell = top === undefined ? undefined : f.testTime(id, top);
    return cell && scan ? scan.microseconds / cell.microseconds : undefined;
  };
  rows.push({
    claim: 'Differentiated softmax is about 2× faster than the softmax in training, with equal or better perplexity',
    published: 'Chen, Grangier & Auli 2016 (feed-forward LMs; D-softmax and hierarchical softmax "the best strategies for large vocabularies")',
    measured: `${times(d)} (sg), ${times(dCbow)} (cbow) at V = ${count(ten)}, ${times(f.speedUp('sg', 'dsoftmax', sg))} and ${times(f.speedUp('cbow', 'dsoftmax', cbow))} at ${count(sg)}; ${atConvergence(f, 'dsoftmax')}`,
    comment: d !== undefined
      ? `Speed ${d >= 1.5 ? 'agrees' : 'falls short of it'}. The default bands (10/30/60% of words with 50/30/20% of the dimensions) do 26% of the softmax's multiply-adds, a 3.8× ceiling; ` +
        'the rest goes to what the bands do not shrink: the activation and normalisation over every word, and shorter rows that leave each four-row block less arithmetic per load. ' +
        `On quality it is ${describe(comparedAtConvergence(f, 'dsoftmax'))} the softmax in part 3, with half the output parameters.`
      : '',
  });
  const bands = faster('dsoftmax');
  const tree = faster('hs');
  const index = faster(INDEX_METHOD.id);
  const indexRecall = top === undefined ? undefined : f.testTime(INDEX_METHOD.id, top)?.recall;
  rows.push({
    claim: 'Of the ways around the softmax, only the differentiated softmax also speeds up test time: the sampling methods train fast but must compute the full softmax to predict',
    published: 'Chen, Grangier & Auli 2016 (the claim; no test-time figure is quoted here)',
    measured: scan
      ? `top-10 at V = ${count(scan.vocabularySize)}: softmax scan ${decimal(scan.microseconds, 0)} µs; dsoftmax bands ${speedAgainst(bands)}; hs tree search ${speedAgainst(tree)} (exact); inner-product index ${speedAgainst(index)} at recall@10 ${decimal(indexRecall, 2)}; ns, NCE and sampled softmax predict with the softmax's scan`
      : 'not measured',
    comment: scan && bands !== undefined
      ? `${bands > 1.2 ? 'Agrees that D-softmax speeds up prediction' : bands >= 1 ? 'D-softmax\'s bands barely beat the scan here' : 'D-softmax\'s bands do not beat the scan here'}; agrees that the sampling methods do not (their output layer is the softmax's). ` +
        (tree !== undefined && tree > (bands ?? 0) && tree > 1
          ? `It is not the only one: hierarchical softmax answers the exact top-10 by branch-and-bound over its tree ${speedAgainst(tree)} than the scan, ahead of the bands (${speedAgainst(bands)})` +
            (index !== undefined ? `, and an approximate index over the softmax's rows is ${speedAgainst(index)} at recall ${decimal(indexRecall, 2)}.` : '.')
          : `The hs tree search (${speedAgainst(tree)}) does not beat the bands here.`)
      : '',
  });
  const rare = ['hs', 'hs-balanced', 'nce', 'sampled'].flatMap((id) => {
    const r = rareBand(f, id);
    return r ? [{ id, ...r }] : [];
  });
  const softmaxRare = f.converged('softmax')?.bands.rare;
  rows.push({
    claim: 'Hierarchical softmax and some sampling methods do worse than the softmax on rare words',
    published: 'Chen, Grangier & Auli 2016, perplexity by frequency band (their band figures are not quoted here)',
    measured: softmaxRare
      ? `perplexity on the rarest 60% of words in part 3: softmax ${meanSd(softmaxRare)}; ${rare.map((r) => r.text).join('; ')}`
      : 'not measured',
    comment: rare.length > 0
      ? `Worse on rare words: ${rare.filter((r) => r.comparison === 'worse').map((r) => f.label(r.id)).join(', ') || 'none'}; ` +
        `level within the seeds' spread: ${rare.filter((r) => r.comparison === 'same').map((r) => f.label(r.id)).join(', ') || 'none'}; ` +
        `better: ${rare.filter((r) => r.comparison === 'better').map((r) => f.label(r.id)).join(', ') || 'none'}. ` +
        'Their models were language models with hidden layers at 100k words or more; ours predict from a window at the vocabulary of part 3.'
      : '',
  });
  rows.push({
    claim: 'Sigsoftmax improves on softmax (breaks the softmax bottleneck)',
    published: 'Kanai et al. 2018 (recurrent LMs on PTB and WikiText-2)',
    measured: atConvergence(f, 'sigsoftmax'),
    comment: activationComment(f, 'sigsoftmax', {
      better: 'Agrees.',
      other: 'The bottleneck argument concerns a hidden size far below the rank of the true log-probability matrix in a language model; a window model at a small vocabulary is a different regime.',
    }),
  });
  rows.push({
    claim: 'Taylor softmax: better than softmax on MNIST and CIFAR-10, worse on CIFAR-100 and Penn Treebank (perplexity 147.2 vs 126.7)',
    published: 'de Brébisson & Vincent 2016',
    measured: atConvergence(f, 'taylor'),
    comment: activationComment(f, 'taylor', {
      worse: 'Agrees with their language-model result: the polynomial\'s heavy tail leaves probability spread over many words, which costs most when the vocabulary is large.',
      other: 'Their language-model gap does not show here.',
    }),
  });
  const orders = LOSS_CONFIGS.filter((c) => c.options.activation === 'taylor' && !c.options.margin).flatMap((c) => {
    const x = f.converged(c.id);
    return x ? [{ order: Number(c.options.taylorOrder ?? 2), x }] : [];
  }).sort((a, b) => a.order - b.order);
  const bestOrder = orders.length > 0 ? orders.reduce((a, b) => (b.x.perplexity.mean < a.x.perplexity.mean ? b : a)) : undefined;
  rows.push({
    claim: 'Higher Taylor orders approach the softmax; the soft-margin Taylor softmax (SM-Taylor) beats softmax in some configuration on every image data set tried',
    published: 'Banerjee et al. 2020, "Exploring alternatives to softmax function" (image classification: MNIST, CIFAR-10, CIFAR-100; their accuracies are not quoted here)',
    measured: orders.length > 0
      ? `in part 3, Taylor order ${orders.map((o) => `${o.order}: ${meanSd(o.x.perplexity)}`).join(', ')}; ${atConvergence(f, 'sm-taylor')}; soft-margin softmax: ${atConvergence(f, 'softmax-margin')}`
      : 'not measured',
    comment: bestOrder
      ? `Best order here: ${bestOrder.order}. ` +
        activationComment(f, 'sm-taylor', {
          better: 'SM-Taylor beats the softmax, as the paper found, with the one margin tried here (m = 1).',
          other: 'Not comparable in task: their result was image classification with tuned margins; here one margin (m = 1), and held-out likelihood, which a margin does not train for.',
        })
      : '',
  });
  const mixtures = LOSS_CONFIGS.filter((c) => Number(optionOf(c, 'mixture') ?? 1) > 1);
  rows.push({
    claim: 'A mixture of softmaxes breaks the softmax bottleneck and improves perplexity',
    published: 'Yang et al. 2018 (abstract: state-of-the-art perplexities of 47.69 on Penn Treebank and 40.68 on WikiText-2, and over 5.6 points better than the baseline on 1B Word; recurrent LMs)',
    measured: mixtures.length > 0 ? mixtures.map((c) => `${c.label}: ${atConvergence(f, c.id)}`).join('; ') : 'no mixture in this study\'s configurations',
    comment: mixtures.length > 0
      ? mixtures.map((c) => `${c.label} is ${describe(comparedAtConvergence(f, c.id))} the softmax`).join('; ') +
        (mixtures.some((c) => c.rate !== undefined) ? `, each at ${[...new Set(mixtures.map((c) => c.rate ?? 1))].join(' or ')}× the others' learning rate (at the full rate they did not train stably)` : '') +
        '. Their figures are for recurrent language models whose hidden size is far below the rank the data needs; not comparable in absolute terms, only in direction.'
      : 'Not measured.',
  });
  const adaptive = LOSS_CONFIGS.filter((c) => String(c.options.loss) === 'adaptive');
  rows.push({
    claim: 'The adaptive softmax is much faster than the softmax and than hierarchical softmax, at an accuracy close to the full softmax',
    published: 'Grave et al. 2017, "Efficient softmax approximation for GPUs" (abstract: "a large gain in efficiency over standard approximations while achieving an accuracy close to that of the full softmax", on EuroParl and One Billion Word, on GPUs; the 2×–10× often quoted from it is not checked against its tables here)',
    measured: adaptive.length > 0
      ? adaptive.map((c) => `${c.label}: ${times(f.speedUp('sg', c.id, sg))} (sg) and ${times(f.speedUp('cbow', c.id, cbow))} (cbow) the softmax's words/s at V = ${count(sg)}, ${speedAgainst(ratio(f, c.id, 'hs', sg))} than hs (sg); ${atConvergence(f, c.id)}`).join('; ')
      : 'no adaptive softmax in this study\'s configurations',
    comment: adaptive.length > 0
      ? adaptive.map((c) => {
          const overHs = ratio(f, c.id, 'hs', sg);
          return `${c.label}: ${overHs === undefined ? 'not compared with hs' : overHs >= 1 ? 'faster than hs' : 'slower than hs'}, ${describe(comparedAtConvergence(f, c.id))} the softmax in quality`;
        }).join('; ') +
        '. Their speed-ups are on GPUs, where the cost model (matrix-matrix products, per-cluster launch cost) differs from one CPU thread per task here.'
      : 'Not measured.',
  });
  return rows;
}

/** words/s of `id` over `other`'s, skip-gram at one vocabulary. */
function ratio(f: Facts, id: string, other: string, vocabulary: number | undefined): number | undefined {
  const a = f.speedUp('sg', id, vocabulary);
  const b = f.speedUp('sg', other, vocabulary);
  return a !== undefined && b !== undefined ? a / b : undefined;
}
