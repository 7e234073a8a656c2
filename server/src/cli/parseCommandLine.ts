/**
 * A command's options read with node's parseArgs, strictly, but with messages a person reads in
 * one line: an unknown option is named with the command and the nearest known option, where
 * parseArgs would explain how to pass a positional that starts with a dash; a missing value says
 * which option wants one.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from '../core/index.js';
import { UsageError } from './usageError.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandLine<T extends Options>(command: string, args: string[], options: T) {
  checkOptions(command, args, options);
  return parseArgs({ args, options, allowPositionals: true, strict: true });
}

/** Throws a UsageError for the first option that is unknown, lacks its value or has one it does not take. */
function checkOptions(command: string, args: string[], options: Options): void {
  const { tokens } = parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (!option) throw new UsageError(`unknown option \`${token.rawName}\` for ${command}${suggestion(token.rawName, options)}`);
    if (option.type === 'boolean' && token.inlineValue) throw new UsageError(`${token.rawName} takes no value`);
    if (option.type !== 'string') continue;
    if (token.value === undefined) throw new UsageError(`${token.rawName} needs a value`);
    // `--format --quiet`: parseArgs refuses a value that looks like an option unless written `--format=--quiet`.
    if (!token.inlineValue && token.value.length > 1 && token.value.startsWith('-')) throw new UsageError(`${token.rawName} needs a value (got the option \`${token.value}\`; write ${token.rawName}=${token.value} if that is the value)`);
  }
}

/** The nearest long option for `--fromat`; for a one-letter option only the same letter in the other case (`-F` → `-f`): any other letter is one edit away. */
function suggestion(rawName: string, options: Options): string {
  if (rawName.startsWith('--')) return didYouMean(rawName, Object.keys(options).map((name) => `--${name}`));
  const short = Object.values(options).flatMap((o) => (o.short !== undefined && o.short.toLowerCase() === rawName.slice(1).toLowerCase() ? [`-${o.short}`] : []));
  return didYouMean(rawName, short);
}
