// `tekton-provenance verify DIGEST --store STORE --key KEY… [--event-key KEY…] [--policy FILE] [--json]
// [--graph mermaid|dot]`; --event-key: the only keys trusted for trigger events (default: the --key keys).
// (CONTRACT §3): exit 0 when every check passed, 1 when one failed (named on stderr or in the JSON), 2 on bad input.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, UsageError } from '../../shared/core/errors.js';
import { createStore } from '../../shared/stores/create-store.js';
import { loadKeys } from '../../shared/verify/keys.js';
import {
  EMPTY_POLICY,
  parsePolicy,
  type Policy,
} from '../../shared/verify/policy.js';
import {
  isGraphFormat,
  renderGraph,
} from '../../shared/verify/render-graph.js';
import { renderText } from '../../shared/verify/render-text.js';
import { failureLines } from '../../shared/verify/report.js';
import { verifyDigest } from '../../shared/verify/verify-digest.js';
import { onePositional, parseCommandArgs, type Command } from '../io.js';

const OPTIONS = {
  store: { type: 'string' },
  key: { type: 'string', multiple: true },
  'event-key': { type: 'string', multiple: true },
  policy: { type: 'string' },
  json: { type: 'boolean', default: false },
  graph: { type: 'string' },
} as const;

function usage(message: string): never {
  throw new UsageError('USAGE', message);
}

// sha256:<64 hex> → the hex.
export function parseDigestArg(value: string): string {
  const hex = /^sha256:([0-9a-f]{64})$/.exec(value.trim())?.[1];
  return (
    hex ??
    usage(
      `expected DIGEST as sha256:<64 lowercase hex>, got ${JSON.stringify(value.slice(0, 100))}`
    )
  );
}

async function readPolicy(
  path: string | undefined,
  cwd: string
): Promise<Policy> {
  if (path === undefined) return EMPTY_POLICY;
  const full = resolve(cwd, path);
  const text = await readFile(full, 'utf8').catch(
    (err: NodeJS.ErrnoException) => {
      throw new ConfigError(
        'CONFIG_INVALID',
        `expected a readable policy file at ${full}, got ${err.code ?? 'an error'}`,
        { cause: err }
      );
    }
  );
  return parsePolicy(text, path);
}

export const run: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS);
  const hex = parseDigestArg(onePositional(positionals, 'DIGEST'));
  if (!values.store) usage('expected --store STORE');
  if (!values.key?.length) usage('expected at least one --key KEY');
  if (values.graph !== undefined && !isGraphFormat(values.graph))
    usage(
      `expected --graph mermaid or dot, got ${JSON.stringify(values.graph)}`
    );
  if (values.graph !== undefined && values.json)
    usage('expected --json or --graph, not both');
  const policy = await readPolicy(values.policy, io.cwd);
  const emulator = io.env.STORAGE_EMULATOR_HOST;
  const eventKeyRefs = values['event-key'];
  const [store, keys, eventKeys] = await Promise.all([
    createStore(values.store, {
      cwd: io.cwd,
      ...(emulator && { apiEndpoint: emulator }),
    }),
    loadKeys(values.key, { cwd: io.cwd }),
    eventKeyRefs && loadKeys(eventKeyRefs, { cwd: io.cwd }),
  ]);
  const report = await verifyDigest(hex, {
    store,
    keys,
    ...(eventKeys && { eventKeys }),
    policy,
    now: new Date(),
  });
  if (values.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else if (isGraphFormat(values.graph))
    io.stdout(renderGraph(report, values.graph));
  else io.stdout(renderText(report));
  if (!values.json)
    for (const line of failureLines(report)) io.stderr(`verify: ${line}\n`);
  return report.passed ? 0 : 1;
};
