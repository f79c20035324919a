#!/usr/bin/env node
// tekton-provenance CLI: dispatches to one module per command, loaded on demand.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  describeError,
  isAttestError,
  VerificationError,
} from '../shared/core/errors.js';
import type { CliIo, Command } from './io.js';

const COMMANDS: Record<string, () => Promise<{ run: Command }>> = {
  statement: () => import('./commands/statement.js'),
  backfill: () => import('./commands/backfill.js'),
  verify: () => import('./commands/verify.js'),
  keygen: () => import('./commands/keygen.js'),
  attest: () => import('./commands/attest.js'),
  get: () => import('./commands/get.js'),
};

const USAGE = `usage: tekton-provenance <command> [options]
commands:
  statement RUN [--taskruns PATH] [--format F] [--build-type slsa|slsa-tekton] [--deep-inspection] [--builder-id ID]
  attest RUN [--taskruns PATH] [--format F]... --signer SIGNER --store STORE
  keygen --out DIR
  get DIGEST --store STORE
  verify DIGEST --store STORE --key KEY... [--event-key KEY...] [--policy FILE] [--json] [--graph mermaid|dot]
  backfill [--namespace NS]... [--since DURATION] [--format F]... --signer SIGNER --store STORE [--kubeconfig PATH]
`;

// Exit codes: 0 ok, 1 a check or dependency failed, 2 usage or input error.
export function exitCodeOf(err: unknown): number {
  if (err instanceof VerificationError) return 1;
  if (isAttestError(err)) return err.permanent ? 2 : 1;
  return 1;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  const load = name === undefined ? undefined : COMMANDS[name];
  if (!load) {
    io.stderr(
      name === undefined || name === '--help'
        ? USAGE
        : `USAGE: unknown command ${JSON.stringify(name)}\n${USAGE}`
    );
    return name === '--help' ? 0 : 2;
  }
  try {
    return await (await load()).run(rest, io);
  } catch (err) {
    io.stderr(`tekton-provenance ${name}: ${describeError(err)}\n`);
    return exitCodeOf(err);
  }
}

const io: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
};

// Runs only when executed as the binary (directly, via npx or a bin symlink), not when imported by tests.
function isEntryPoint(): boolean {
  const argv1 = process.argv[1];
  if (argv1 === undefined) return false;
  try {
    return realpathSync(argv1) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  process.exitCode = await main(process.argv.slice(2), io);
}
