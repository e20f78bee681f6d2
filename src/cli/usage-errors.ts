import { UserError } from '../base/errors.js';
import { suggestSpellings } from '../query/similar-words.js';
import { UsageError } from './failure.js';
import { flagOf } from '../base/option-flag.js';
import { givenText } from './option-names.js';

/**
 * A numeric option given a word: yargs turns it into NaN, and the message would then say
 * "got NaN". Say what was typed instead; of an option's names (`-k`, `-n`), the one typed.
 */
export function refuseNonNumbers(argv: Record<string, unknown>, args: readonly string[]): void {
  const bad = Object.entries(argv).filter(([key, value]) => key !== '_' && typeof value === 'number' && Number.isNaN(value));
  if (bad.length === 0) return;
  const typed = bad.map(([key]) => ({ flag: flagOf(key), text: givenText(flagOf(key), args) }));
  const shown = typed.find((t) => t.text !== undefined) ?? typed[0];
  const text = shown.text === undefined ? 'no number' : JSON.stringify(shown.text);
  throw new UsageError(`${shown.flag} takes a number, got ${text}`);
}

/**
 * yargs' own words for an unknown option ("Unknown argument: epoch") become a line that names
 * the option as typed, the nearest declared spelling, and where the command's options are listed.
 */
export function explainUnknownOptions(
  message: string,
  declared: readonly string[],
  command: string | undefined,
  args: readonly string[],
): string | undefined {
  const match = /^Unknown arguments?: (.+)$/.exec(message);
  if (!match) return undefined;
  const where = command ? `w2v ${command} --help` : 'w2v --help';
  const flags = declared.filter((key) => key.length > 1 && !/[A-Z]/.test(key));
  const parts = match[1].split(', ').map((name) => {
    const typed = flagOf(name);
    // A word left over after the positionals, not an option.
    if (givenText(typed, args) === undefined && !args.includes(typed)) return `unexpected argument ${JSON.stringify(name)}`;
    const [nearest] = suggestSpellings(name, flags, 1);
    return nearest ? `unknown option ${typed} (did you mean ${flagOf(nearest)}?)` : `unknown option ${typed}`;
  });
  return `${parts.join('; ')}; ${where} lists what it takes`;
}

/**
 * yargs' "Not enough non-option arguments: got 3, need at least 4" becomes the command's own
 * usage line, what was given, and where each argument is explained.
 */
export function explainMissingArguments(message: string, usage: string | undefined, args: readonly string[]): string | undefined {
  const match = /^Not enough non-option arguments: got (\d+), need at least (\d+)$/.exec(message);
  if (!match || usage === undefined) return undefined;
  const [name, ...positionals] = usage.split(' ');
  const given = args.slice(1).filter((a) => !a.startsWith('-')).slice(0, Number(match[1]));
  const got = given.length === 0 ? 'got none' : `got ${given.length} (${given.join(' ')})`;
  return `${name} takes ${positionals.filter((p) => p.startsWith('<')).join(' ')}, and ${got}; w2v ${name} --help says what each is`;
}
