import { UserError, errnoCode } from '../base/errors.js';
import { removeTransientPathsSync } from '../base/exit-cleanup.js';
import { haltProgress } from './progress.js';

/** A command line that cannot be run as typed: it exits with 2, as yargs' own usage errors do. */
export class UsageError extends UserError {
  override name = 'UsageError';
}

/**
 * Prints a failure as one line and exits non-zero. User errors carry their own advice;
 * anything else is a bug or an environment problem, whose stack is shown only when
 * W2V_DEBUG is set so that ordinary runs never dump a trace.
 */
export function reportFailure(error: unknown, usage: boolean): never {
  // Whatever was being written when the failure came must not outlive the exit.
  removeTransientPathsSync();
  // Some messages (yargs' "Invalid values:" among them) span lines; the contract is one line.
  const message = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ').trim();
  if (error instanceof UserError || usage) {
    haltProgress(`w2v: ${message}${usage ? ' (see w2v --help)' : ''}`);
    process.exit(usage || error instanceof UsageError ? 2 : 1);
  }
  const code = errnoCode(error);
  if (process.env.W2V_DEBUG && error instanceof Error && error.stack) {
    haltProgress(error.stack);
  }
  const hint = code === 'ENOSPC' ? ' (the disk is full: free space or choose another --out)' : ' (set W2V_DEBUG=1 for details)';
  haltProgress(`w2v: ${message}${hint}`);
  process.exit(1);
}
