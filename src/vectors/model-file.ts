import { promises as fsp } from 'node:fs';
import { UserError } from '../base/errors.js';
import { bytesOf, float32At, readFramedFile, writeFramedFile, type FramedFileKind } from '../base/framed-file.js';
import { planAdaptive, type AdaptiveLayout } from '../model/adaptive-clusters.js';
import { logExpectedNoiseCounts } from '../model/alias-table.js';
import type { BandLayout } from '../model/bands.js';
import type { CodeTree } from '../model/code-tree.js';
import { ACTIVATIONS, LOSS_TYPES, SAMPLING_LOSSES, type TrainOptions } from '../model/options.js';
import { MAX_MIXTURE_COMPONENTS, mixtureRowCount } from '../model/mixture.js';
import type { OutputLayer } from '../model/output-layer.js';
import type { TrainedModel } from '../train/trainer.js';

/**
 * A trained model: everything prediction needs, not only the input vectors. Framed as
 * src/base/framed-file.ts describes (magic "W2VMODL\0", the checkpoint's container), with a JSON
 * {@link ModelHeader} and as payload the sections the header lists, in its order:
 *   input    f32  vocabSize × stride   the word vectors (rows padded to a multiple of 4 floats)
 *   output   f32  vocabSize × stride   the output layer: word rows, or inner-node rows for hs
 *                (adaptive: adaptive.floats, its head, projections and tails as the header's layout places them)
 *   offsets  u32  vocabSize + 1        hs: where each word's path starts in points and codes
 *   points   u32  path total           hs: the inner node of each step, root first
 *   noise    f32  vocabSize            ns, nce, sampled: the noise distribution q(w) ∝ count^0.75
 *   mixture  f32  (K·dim + K) × stride  a mixture of K softmaxes: the rows of P_1..P_K, then W's
 *   codes    u8   path total           hs: the branch of each step (last: the only unaligned one)
 * The bands (dsoftmax, and softmax as one band) and the adaptive softmax's clusters are in the
 * header. Files written before mixtures existed have no options.mixture: they are read as K = 1.
 */
export const MODEL_VERSION = 1;
export const MODEL_MAGIC = Buffer.from('W2VMODL\0', 'latin1');
const MODEL_FILE: FramedFileKind = { magic: MODEL_MAGIC, version: MODEL_VERSION, what: 'model file' };

type SectionName = 'input' | 'output' | 'offsets' | 'points' | 'noise' | 'mixture' | 'codes';
const SECTION_TYPES = { input: 'f32', output: 'f32', offsets: 'u32', points: 'u32', noise: 'f32', mixture: 'f32', codes: 'u8' } as const;
const TYPE_BYTES = { f32: 4, u32: 4, u8: 1 } as const;

export interface ModelHeader {
  format: 'w2v-model';
  version: number;
  createdAt: string;
  options: TrainOptions;
  vocabulary: { words: string[]; counts: number[] };
  layout: { vocabSize: number; dim: number; stride: number };
  bands?: BandLayout[];
  adaptive?: AdaptiveLayout;
  sections: { name: SectionName; type: 'f32' | 'u32' | 'u8'; length: number }[];
  /** Mean objective per prediction of each epoch, as the training report gives it. */
  epochLosses: number[];
}

/** What a model file holds, as the library uses it. */
export interface SavedModel {
  options: TrainOptions;
  words: string[];
  counts: number[];
  dim: number;
  stride: number;
  /** Input vectors, `stride` floats apart. */
  vectors: Float32Array;
  output: OutputLayer;
  /** The noise distribution of the sampling losses. */
  noise?: Float32Array;
  epochLosses: number[];
}

/** What a model file keeps of a training run's result. */
export function savedModelOf(trained: TrainedModel): Omit<SavedModel, 'noise'> {
  return {
    options: trained.report.options,
    words: trained.vocabulary.words,
    counts: Array.from(trained.vocabulary.counts),
    dim: trained.dim,
    stride: trained.stride,
    vectors: trained.vectors,
    output: trained.output,
    epochLosses: trained.report.epochs.map((e) => e.loss),
  };
}

/** The noise distribution q(w) that ns, nce and sampled drew from in training. */
function noiseDistribution(counts: readonly number[]): Float32Array {
  return Float32Array.from(logExpectedNoiseCounts(counts, 1), (logQ) => Math.exp(logQ));
}

export async function writeModelFile(file: string, model: Omit<SavedModel, 'noise'>): Promise<void> {
  const { options, output } = model;
  const V = model.words.length;
  const outputFloats = output.adaptive ? output.adaptive.floats : V * model.stride;
  const parts: Partial<Record<SectionName, ArrayBufferView>> = { input: model.vectors.subarray(0, V * model.stride), output: output.weights.subarray(0, outputFloats) };
  if (output.tree) Object.assign(parts, { offsets: output.tree.offsets, points: output.tree.points });
  if (SAMPLING_LOSSES.includes(options.loss)) parts.noise = noiseDistribution(model.counts);
  if (output.mixture) parts.mixture = output.mixture.rows;
  if (output.tree) parts.codes = output.tree.codes;
  const names = (Object.keys(SECTION_TYPES) as SectionName[]).filter((name) => parts[name] !== undefined);
  const header: ModelHeader = {
    format: 'w2v-model',
    version: MODEL_VERSION,
    createdAt: new Date().toISOString(),
    options,
    vocabulary: { words: model.words, counts: model.counts },
    layout: { vocabSize: V, dim: model.dim, stride: model.stride },
    ...(output.bands ? { bands: output.bands } : {}),
    ...(output.adaptive ? { adaptive: output.adaptive } : {}),
    sections: names.map((name) => ({ name, type: SECTION_TYPES[name], length: bytesOf(parts[name]!).byteLength / TYPE_BYTES[SECTION_TYPES[name]] })),
    epochLosses: model.epochLosses,
  };
  await writeFramedFile(file, MODEL_FILE, header, names.map((name) => parts[name]!));
}

/** Whether a file starts as a model file does (false for anything else, a missing file included). */
export async function isModelFile(file: string): Promise<boolean> {
  const handle = await fsp.open(file, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    const head = Buffer.alloc(MODEL_MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return bytesRead === head.length && head.equals(MODEL_MAGIC);
  } catch {
    return false;
  } finally {
    await handle.close();
  }
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** Reads and checks a model file; every problem is one line naming the file and what to do. */
export async function readModelFile(file: string): Promise<SavedModel> {
  const refuse = (why: string) => new UserError(`${file}: ${why}; train it again with --save-model`);
  const { header: parsed, payload } = await readFramedFile(file, MODEL_FILE, refuse, (h) => {
    checkHeader(h as ModelHeader, refuse);
    return (h as ModelHeader).sections.reduce((sum, s) => sum + s.length * TYPE_BYTES[s.type], 0);
  });
  const header = parsed as ModelHeader;
  const { vocabSize: V, dim, stride } = header.layout;
  const sections = new Map<SectionName, Buffer>();
  let at = 0;
  for (const s of header.sections) {
    const bytes = s.length * TYPE_BYTES[s.type];
    sections.set(s.name, payload.subarray(at, at + bytes));
    at += bytes;
  }
  const f32 = (name: SectionName) => float32At(sections.get(name)!, 0, sections.get(name)!.length / 4);
  const u32 = (name: SectionName) => {
    const bytes = sections.get(name)!;
    const out = new Uint32Array(bytes.length / 4);
    new Uint8Array(out.buffer).set(bytes);
    return out;
  };
  // Files written before mixtures existed: the plain softmax.
  const options: TrainOptions = { ...header.options, mixture: header.options.mixture ?? 1 };
  let tree: CodeTree | undefined;
  if (options.loss === 'hs') {
    tree = checkedTree(V, u32('offsets'), u32('points'), Uint8Array.from(sections.get('codes')!), refuse);
  }
  return {
    options,
    words: header.vocabulary.words,
    counts: header.vocabulary.counts,
    dim,
    stride,
    vectors: f32('input'),
    output: {
      loss: options.loss, activation: options.activation, taylorOrder: options.taylorOrder ?? 2, dim, weights: f32('output'), stride, tree, bands: header.bands,
      adaptive: header.adaptive,
      ...(options.mixture > 1 ? { mixture: { components: options.mixture, rows: f32('mixture') } } : {}),
    },
    noise: sections.has('noise') ? f32('noise') : undefined,
    epochLosses: header.epochLosses,
  };
}

/** The header passed its checksum, so this guards against other versions and hand-made files. */
function checkHeader(header: ModelHeader, refuse: (why: string) => Error): void {
  const fail = (field: string): never => {
    throw refuse(`its header has no valid ${field}`);
  };
  if (header === null || typeof header !== 'object' || header.format !== 'w2v-model') fail('format');
  const { options, layout, vocabulary, sections } = header;
  if (!options || !LOSS_TYPES.includes(options.loss) || !ACTIVATIONS.includes(options.activation) || (options.model !== 'sg' && options.model !== 'cbow')) fail('options');
  if (!layout || !isCount(layout.vocabSize) || layout.vocabSize < 1 || !isCount(layout.dim) || layout.dim < 1 || !isCount(layout.stride) || layout.stride < layout.dim) fail('layout');
  if (options.dim !== layout.dim) fail('layout (its dimension differs from the options)');
  const mixture = options.mixture ?? 1;
  if (!Number.isInteger(mixture) || mixture < 1 || mixture > MAX_MIXTURE_COMPONENTS || (mixture > 1 && options.loss !== 'softmax')) fail('options (mixture)');
  if (!vocabulary || !Array.isArray(vocabulary.words) || !Array.isArray(vocabulary.counts)) fail('vocabulary');
  if (vocabulary.words.length !== layout.vocabSize || vocabulary.counts.length !== layout.vocabSize) fail('vocabulary (its size differs from the layout)');
  if (!vocabulary.words.every((w) => typeof w === 'string') || !vocabulary.counts.every(isCount)) fail('vocabulary');
  if (!Array.isArray(header.epochLosses) || !header.epochLosses.every((l) => typeof l === 'number')) fail('loss history');
  if (!Array.isArray(sections)) fail('sections');
  if ((options.loss === 'adaptive') !== (header.adaptive !== undefined) || (header.adaptive && !sameAdaptiveLayout(header.adaptive, layout, options))) fail('adaptive layout');
  const outputFloats = header.adaptive ? header.adaptive.floats : layout.vocabSize * layout.stride;
  const expected: Record<string, number | undefined> = { input: layout.vocabSize * layout.stride, output: outputFloats };
  if (options.loss === 'hs') expected.offsets = layout.vocabSize + 1;
  if (SAMPLING_LOSSES.includes(options.loss)) expected.noise = layout.vocabSize;
  if (mixture > 1) expected.mixture = mixtureRowCount(mixture, layout.dim) * layout.stride;
  const names = sections.map((s) => s?.name);
  for (const name of Object.keys(expected)) if (!names.includes(name as SectionName)) fail(`${name} section`);
  for (const s of sections) {
    if (!s || !(s.name in SECTION_TYPES) || SECTION_TYPES[s.name] !== s.type || !isCount(s.length)) fail('sections');
    if (expected[s.name] !== undefined && expected[s.name] !== s.length) fail(`${s.name} section (its length differs from the layout)`);
  }
  if (options.loss === 'hs' && (!names.includes('points') || !names.includes('codes'))) fail('tree');
  if (header.bands !== undefined) {
    const ok = Array.isArray(header.bands) && header.bands.every((b) => b && isCount(b.firstWord) && isCount(b.endWord) && isCount(b.dimOffset) && isCount(b.dims) && b.endWord <= layout.vocabSize && b.dimOffset + b.dims <= layout.dim);
    if (!ok) fail('bands');
  }
}

/**
 * Whether a file's adaptive layout is the one its cutoffs and options make, so that every row and
 * projection it names lies inside the output section.
 */
function sameAdaptiveLayout(adaptive: AdaptiveLayout, layout: ModelHeader['layout'], options: TrainOptions): boolean {
  try {
    const cutoffs = adaptive.clusters.length > 0 ? [adaptive.shortlist, ...adaptive.clusters.slice(0, -1).map((c) => c.endWord)] : [];
    const planned = planAdaptive(layout.vocabSize, layout.dim, cutoffs, options.divValue);
    // The model stride the layout was planned with (the file keeps rows of the same stride).
    return layout.stride === ((layout.dim + 3) & ~3) && JSON.stringify(planned) === JSON.stringify(adaptive);
  } catch {
    return false;
  }
}

/** An hs tree read back: every path within bounds, so a search can follow it without checks. */
function checkedTree(V: number, offsets: Uint32Array, points: Uint32Array, codes: Uint8Array, refuse: (why: string) => Error): CodeTree {
  if (points.length !== codes.length || offsets[0] !== 0 || offsets[V] !== points.length) throw refuse('its tree does not fit its paths');
  let maxCodeLength = 0;
  for (let w = 0; w < V; w++) {
    if (offsets[w + 1] < offsets[w]) throw refuse('its tree has a path of negative length');
    maxCodeLength = Math.max(maxCodeLength, offsets[w + 1] - offsets[w]);
  }
  for (let k = 0; k < points.length; k++) {
    if (points[k] >= Math.max(1, V - 1) || codes[k] > 1) throw refuse('its tree names a node or branch that does not exist');
  }
  return { offsets, points, codes, maxCodeLength };
}
