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

/** Node's errno-style errors carry a `code`; this narrows to them without `any`. */
export function errnoCode(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}
