/** How an option is typed on the command line: `--max-vocab` for `maxVocab`, `-k` for `k`. */
export function flagOf(key: string): string {
  return key.length === 1 ? `-${key}` : `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
