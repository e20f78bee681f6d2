/**
 * An error caused by what the user asked for (bad option, missing file, corrupt input).
 * The CLI prints its message as one line and exits non-zero, without a stack trace,
 * so the message must say what was wrong and what to do about it.
 */
export class UserError extends Error {
  override name = 'UserError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A write that found the disk full (ENOSPC, EDQUOT): the user's to fix, and nothing was replaced. */
export class DiskFullError extends UserError {
  override name = 'DiskFullError';
}

/** Node's errno-style errors carry a `code`; this narrows to them without `any`. */
export function errnoCode(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}

/** The usual reasons a file cannot be opened, as a one-line UserError naming it; other errors pass through. */
export function openFailure(file: string, what: string, error: unknown): unknown {
  const code = errnoCode(error);
  if (code === 'ENOENT') return new UserError(`${file}: no such ${what}`);
  if (code === 'EISDIR') return new UserError(`${file}: is a directory, not a ${what}`);
  if (code === 'EACCES') return new UserError(`${file}: permission denied`);
  return error;
}
