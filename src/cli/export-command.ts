import type { Argv, CommandModule } from 'yargs';
import { exportPaths, exportVectors, type ExportFormat } from '../vectors/export.js';
import { refuseOverwritingInputs } from '../base/overwrite-guard.js';
import { readVectorsFile } from '../vectors/read-vectors.js';
import { positiveInteger, VECTORS_POSITIONAL } from './query-arguments.js';

interface ExportArgs {
  vectors: string;
  format: ExportFormat;
  out: string;
  limit?: number;
}

function builder(yargs: Argv): Argv<ExportArgs> {
  return yargs
    .positional('vectors', VECTORS_POSITIONAL)
    .options({
      format: { alias: 'f', type: 'string', demandOption: true, describe: 'One of text, bin, csv, tsv. text/bin: word2vec formats as C word2vec writes them; csv: "word,v1..vD" rows; tsv: Embedding Projector vectors.tsv + metadata.tsv' },
      out: { alias: 'o', type: 'string', demandOption: true, describe: 'Output file (for tsv: a directory that receives vectors.tsv and metadata.tsv)' },
      limit: { type: 'number', describe: 'Keep only the N most frequent words (the first N of the file)' },
    }) as unknown as Argv<ExportArgs>;
}

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export <vectors>',
  describe: 'Convert vectors to word2vec text/binary, CSV, or Embedding Projector TSV',
  builder,
  handler: async (args) => {
    const limit = positiveInteger('limit', args.limit);
    const outputs = exportPaths(args.format, args.out).map((file) => ({ name: '--out', path: file }));
    await refuseOverwritingInputs([{ name: 'the vectors file', path: args.vectors }], outputs);
    const data = await readVectorsFile(args.vectors, { limit });
    const files = await exportVectors(data, args.format, args.out);
    process.stdout.write(`wrote ${data.words.length} words of dimension ${data.dim}: ${files.join(', ')}\n`);
  },
};
