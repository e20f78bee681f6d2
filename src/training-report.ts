import { promises as fsp } from 'node:fs';
import { UserError, errnoCode } from './errors.js';
import type { TrainingReport } from './trainer.js';

/** What `w2v train` saves beside the vectors: the trainer's report and where the output went. */
export interface SavedTrainingReport extends TrainingReport {
  output: string;
  format: 'bin' | 'text';
  index?: string;
  finishedAt: string;
}

/** The report sits beside the vectors: `vectors.bin` → `vectors.bin.report.json`. */
export function reportPathFor(vectorsPath: string): string {
  return `${vectorsPath}.report.json`;
}

/** The report saved beside a vectors file, or null when there is none (vectors from another tool). */
export async function readTrainingReport(vectorsPath: string): Promise<SavedTrainingReport | null> {
  const file = reportPathFor(vectorsPath);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return null;
    throw error;
  }
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch {
    throw new UserError(`${file}: not valid JSON; train again or remove it`);
  }
  if (!report || typeof report !== 'object' || !Array.isArray((report as TrainingReport).epochs)) {
    throw new UserError(`${file}: not a w2v training report (no epochs); train again or remove it`);
  }
  return report as SavedTrainingReport;
}
