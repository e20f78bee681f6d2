import { xorshift32 } from '../../base/random.js';
import { ADAPTIVE_CLUSTER_FIELDS, BAND_FIELDS, HeaderField, SlotField } from '../layout.js';

const UINT32_SCALE = 1 / 4294967296;

/**
 * The reference kernel's view of the model: typed views of the shared memory, the header's
 * fields as float or word indices, the random state and the call's objective. The twin of
 * src/kernel/assembly/state.ts and noise.ts.
 */
export class KernelState {
  readonly u32: Uint32Array;
  readonly f32: Float32Array;
  readonly u8: Uint8Array;
  readonly vocabSize: number;
  readonly dim: number;
  readonly stride: number;
  readonly window: number;
  readonly negative: number;
  readonly flags: number;
  readonly lossKind: number;
  readonly activation: number;
  readonly margin: number;
  readonly maxSentenceLength: number;
  // Float (or u32) indices into the views, not byte offsets.
  readonly input0: number;
  /** The shared output rows. */
  readonly output0: number;
  /** This worker's copy of rows copyFirstRow.. (0: none) and their snapshot; see output-copy.ts. */
  readonly outputCopy0: number;
  readonly outputSnapshot0: number;
  readonly copyFirstRow: number;
  readonly copyRows: number;
  readonly taylorOrder: number;
  readonly syncEvery: number;
  sinceMerge = 0;
  readonly keep0: number;
  readonly aliasProbability0: number;
  readonly aliasIndex0: number;
  readonly treeOffsets0: number;
  /** a byte index: codes are u8 */
  readonly treeCodes0: number;
  readonly treePoints0: number;
  readonly sigmoid0: number;
  readonly lossTable0: number;
  readonly noiseLog0: number;
  readonly bands: Array<{ first: number; end: number; offset: number; width: number }>;
  readonly hidden0: number;
  readonly hiddenError0: number;
  readonly sentence0: number;
  readonly tokens0: number;
  readonly negatives0: number;
  readonly scores0: number;
  readonly activations0: number;
  /** Mixture of softmaxes: K (1: none), and the slot's K contexts and their errors. */
  readonly mixtureComponents: number;
  readonly mixtureContexts0: number;
  readonly mixtureErrors0: number;
  /** Adaptive softmax: the head's words, the tail clusters (offsets as float indices from the output block), the projected input and its step. */
  readonly adaptiveShortlist: number;
  readonly adaptiveClusters: Array<{ first: number; end: number; width: number; dim: number; projection: number; rows: number }>;
  readonly projected0: number;
  readonly projectedError0: number;
  random = 1;
  lossSum = 0;
  predictions = 0;

  constructor(memory: WebAssembly.Memory, header: number, slot: number) {
    const buffer = memory.buffer;
    this.u32 = new Uint32Array(buffer);
    this.f32 = new Float32Array(buffer);
    this.u8 = new Uint8Array(buffer);
    const field = (name: keyof typeof HeaderField) => this.u32[(header + HeaderField[name]) >> 2];
    const slotField = (name: keyof typeof SlotField) => this.u32[(slot + SlotField[name]) >> 2] >> 2;
    this.vocabSize = field('vocabSize');
    this.dim = field('dim');
    this.stride = field('stride');
    this.window = field('window');
    this.negative = field('negative');
    this.flags = field('flags');
    this.lossKind = field('loss');
    this.activation = field('activation');
    this.margin = this.f32[(header + HeaderField.margin) >> 2];
    this.maxSentenceLength = field('maxSentenceLength');
    this.input0 = field('inputWeights') >> 2;
    this.output0 = field('outputWeights') >> 2;
    this.outputCopy0 = slotField('outputCopy');
    this.outputSnapshot0 = slotField('outputSnapshot');
    this.copyFirstRow = field('copyFirstRow');
    this.copyRows = field('copyRows');
    this.taylorOrder = field('taylorOrder');
    this.syncEvery = field('syncEvery');
    this.keep0 = field('keepProbability') >> 2;
    this.aliasProbability0 = field('aliasProbability') >> 2;
    this.aliasIndex0 = field('aliasIndex') >> 2;
    this.treeOffsets0 = field('huffmanOffsets') >> 2;
    this.treeCodes0 = field('huffmanCodes');
    this.treePoints0 = field('huffmanPoints') >> 2;
    this.sigmoid0 = field('sigmoidTable') >> 2;
    this.lossTable0 = field('lossTable') >> 2;
    this.noiseLog0 = field('noiseLog') >> 2;
    const bands0 = field('bands') >> 2;
    this.bands = Array.from({ length: field('bandCount') }, (_, b) => {
      const at = bands0 + b * BAND_FIELDS;
      return { first: this.u32[at], end: this.u32[at + 1], offset: this.u32[at + 2] * 4, width: this.u32[at + 3] * 4 };
    });
    this.hidden0 = slotField('hidden');
    this.hiddenError0 = slotField('hiddenError');
    this.sentence0 = slotField('sentence');
    this.tokens0 = slotField('tokens');
    this.negatives0 = slotField('negatives');
    this.scores0 = slotField('scores');
    this.activations0 = slotField('activations');
    this.mixtureComponents = field('mixtureComponents');
    this.mixtureContexts0 = slotField('mixtureContexts');
    this.mixtureErrors0 = slotField('mixtureErrors');
    const clusters0 = field('adaptiveClusters') >> 2;
    this.adaptiveShortlist = field('adaptiveShortlist');
    this.adaptiveClusters = Array.from({ length: field('adaptiveClusterCount') }, (_, c) => {
      const [first, end, lanes, dim, projection, rows] = this.u32.subarray(clusters0 + c * ADAPTIVE_CLUSTER_FIELDS, clusters0 + (c + 1) * ADAPTIVE_CLUSTER_FIELDS);
      return { first, end, width: lanes * 4, dim, projection: projection >> 2, rows: rows >> 2 };
    });
    this.projected0 = slotField('projected');
    this.projectedError0 = slotField('projectedError');
  }

  seed(seed: number): void {
    this.random = seed === 0 ? 1 : seed >>> 0;
  }

  nextRandom(): number {
    return (this.random = xorshift32(this.random));
  }

  nextUnit(): number {
    return this.nextRandom() * UINT32_SCALE;
  }

  /** A noise word from the unigram^0.75 alias table: one uniform draw. */
  drawNoise(): number {
    const x = this.nextUnit() * this.vocabSize;
    const column = Math.floor(x);
    return x - column < this.f32[this.aliasProbability0 + column] ? column : this.u32[this.aliasIndex0 + column];
  }

  drawNoiseWords(): void {
    for (let d = 0; d < this.negative; d++) this.u32[this.negatives0 + d] = this.drawNoise();
  }

  noiseWord(d: number): number {
    return this.u32[this.negatives0 + d];
  }

  /** Row `word` of the shared output matrix (the sparse losses, which keep no copy). */
  outputRow(word: number): number {
    return this.output0 + word * this.stride;
  }

  /** The row a copying loss trains: this worker's copy where it has one, else the shared row. */
  trainedRow(row: number): number {
    return row >= this.copyFirstRow && this.outputCopy0 !== 0
      ? this.outputCopy0 + (row - this.copyFirstRow) * this.stride
      : this.output0 + row * this.stride;
  }

  inputRow(word: number): number {
    return this.input0 + word * this.stride;
  }

  addPrediction(loss: number): void {
    this.lossSum += loss;
    this.predictions += 1;
  }
}
