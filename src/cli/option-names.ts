/** The text given for an option on the command line (`--dim abc`, `--dim=abc`), if it is there. */
export function givenText(flag: string, args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === flag) return args[i + 1];
    if (args[i].startsWith(`${flag}=`)) return args[i].slice(flag.length + 1);
  }
  return undefined;
}
