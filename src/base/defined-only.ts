/**
 * The entries of `partial` whose value is not undefined: what a caller really gave, so that
 * spreading it over defaults does not replace a default by `undefined`.
 */
export function definedOnly<T extends object>(partial: T): Partial<T> {
  return Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<T>;
}
