import type { CommandModule } from 'yargs';
import { analogyCommand } from './analogy-command.js';
import { classesCommand } from './classes-command.js';
import { evaluateCommand } from './evaluate-command.js';
import { exportCommand } from './export-command.js';
import { indexCommand } from './index-command.js';
import { neighborsCommand } from './neighbors-command.js';
import { predictCommand } from './predict-command.js';
import { phrasesCommand } from './phrases-command.js';
import { serveCommand } from './serve-command.js';
import { trainCommand } from './train-command.js';

/** Every CLI command, in the order `w2v --help` lists them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [phrasesCommand, trainCommand, indexCommand, neighborsCommand, analogyCommand, predictCommand, evaluateCommand, classesCommand, exportCommand, serveCommand];
