import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { ModelWeights } from '../../src/train/training-callbacks.js';
import { writeWord2vecFile } from '../../src/vectors/word2vec-format.js';
import type { Quality } from './results.js';

export interface EvaluationData {
  /** dist/src/cli/main.js: quality is scored by `w2v evaluate`, as a user would score it. */
  cli: string;
  analogies: string;
  ws353: string;
  mturk: string;
}

interface EvaluateJson {
  analogy?: { accuracy: number | null };
  pairs: Record<string, { spearman: number | null }>;
}

/** Analogy accuracy and word-pair Spearman through `w2v evaluate --json`. */
export async function scoreModel(model: ModelWeights, data: EvaluationData): Promise<Quality> {
  const dir = mkdtempSync(join(os.tmpdir(), 'w2v-study-'));
  try {
    const vectors = join(dir, 'vectors.bin');
    await writeWord2vecFile(vectors, { words: model.vocabulary.words, dim: model.dim, vectors: model.vectors, stride: model.stride }, 'bin');
    const result = spawnSync(process.execPath, [data.cli, 'evaluate', vectors, '--analogies', data.analogies, '--pairs', data.ws353, data.mturk, '--json'], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`w2v evaluate failed: ${result.stderr.trim()}`);
    const scores = JSON.parse(result.stdout) as EvaluateJson;
    const pairs = Object.values(scores.pairs);
    return {
      analogy: scores.analogy?.accuracy ?? null,
      ws353: pairs[0]?.spearman ?? null,
      mturk: pairs[1]?.spearman ?? null,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
