// What a command may touch besides its arguments; tests pass buffers, main passes the process streams.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../shared/core/errors.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export type Command = (argv: string[], io: CliIo) => Promise<number>;

type Options = NonNullable<ParseArgsConfig['options']>;

// node:util parseArgs with usage errors turned into UsageError (exit 2).
export function parseCommandArgs<O extends Options>(
  argv: string[],
  options: O
) {
  try {
    return parseArgs({
      args: argv,
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError(
      'USAGE',
      (err as Error).message.split('\n')[0] ?? 'bad arguments',
      {
        cause: err,
      }
    );
  }
}

// Exactly one positional argument, named in the error when absent.
export function onePositional(positionals: string[], what: string): string {
  const [first, ...rest] = positionals;
  if (first === undefined || rest.length > 0) {
    throw new UsageError(
      'USAGE',
      `expected exactly one ${what}, got ${positionals.length}`
    );
  }
  return first;
}
