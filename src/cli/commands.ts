import type { CommandModule } from 'yargs';
import { trainCommand } from './train-command.js';

/** Every CLI command, in the order `w2v --help` lists them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [trainCommand];
