import { parseArgs, type ParseArgsConfig } from 'node:util';
import { LanternError } from '../lib/errors';

/** Parses a command's flags; unknown flags and missing values are usage errors (exit code 2). */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, usage: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new LanternError('usage', `${(error as Error).message}\n${usage}`);
  }
}
