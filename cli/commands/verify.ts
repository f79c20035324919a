// `tekton-provenance verify DIGEST --store STORE --key KEY… [--event-key KEY…] [--policy FILE] [--json]
// [--graph mermaid|dot] [--vsa-signer SIGNER [--verifier-id URI] | --vsa [--vsa-key KEY…]]`;
// --event-key: the only keys trusted for trigger events (default: the --key keys); --vsa-key likewise for VSAs.
// (CONTRACT §3): exit 0 when every check passed, 1 when one failed (named on stderr or in the JSON), 2 on bad input.
import { UsageError } from '../../shared/core/errors.js';
import { createStore } from '../../shared/stores/create-store.js';
import { loadKeys } from '../../shared/verify/keys.js';
import { EMPTY_POLICY } from '../../shared/verify/policy.js';
import {
  isGraphFormat,
  renderGraph,
} from '../../shared/verify/render-graph.js';
import { renderText } from '../../shared/verify/render-text.js';
import { failureLines } from '../../shared/verify/report.js';
import type { VerifyReport } from '../../shared/verify/report.js';
import {
  verifyDigest,
  type VerifyDeps,
} from '../../shared/verify/verify-digest.js';
import {
  loadPolicySource,
  type PolicySource,
} from '../../shared/vsa/policy-source.js';
import {
  onePositional,
  parseCommandArgs,
  type CliIo,
  type Command,
} from '../io.js';
import {
  checkVsaFlags,
  DEFAULT_VERIFIER_ID,
  judgeAndSummarize,
  reportFromVsa,
  VSA_OPTIONS,
} from './verify-vsa.js';

const OPTIONS = {
  store: { type: 'string' },
  key: { type: 'string', multiple: true },
  'event-key': { type: 'string', multiple: true },
  policy: { type: 'string' },
  json: { type: 'boolean', default: false },
  graph: { type: 'string' },
  ...VSA_OPTIONS,
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
  checkVsaFlags(values);
  const source =
    values.policy === undefined
      ? undefined
      : await loadPolicySource(values.policy, { cwd: io.cwd });
  const emulator = io.env.STORAGE_EMULATOR_HOST;
  const eventKeyRefs = values['event-key'];
  const vsaKeyRefs = values['vsa-key'];
  const [store, keys, eventKeys, vsaKeys] = await Promise.all([
    createStore(values.store, {
      cwd: io.cwd,
      ...(emulator && { apiEndpoint: emulator }),
    }),
    loadKeys(values.key, { cwd: io.cwd }),
    eventKeyRefs && loadKeys(eventKeyRefs, { cwd: io.cwd }),
    vsaKeyRefs && loadKeys(vsaKeyRefs, { cwd: io.cwd }),
  ]);
  const deps: VerifyDeps = {
    store,
    keys,
    ...(eventKeys && { eventKeys }),
    policy: source?.policy ?? EMPTY_POLICY,
    now: new Date(),
  };
  const report = await judge(hex, deps, source, values, vsaKeys ?? keys, io);
  if (values.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else if (isGraphFormat(values.graph))
    io.stdout(renderGraph(report, values.graph));
  else io.stdout(renderText(report));
  if (!values.json)
    for (const line of failureLines(report)) io.stderr(`verify: ${line}\n`);
  return report.passed ? 0 : 1;
};

// The verdict: a stored VSA (--vsa, when one is there), a fresh judgement, or one summarised (--vsa-signer).
async function judge(
  hex: string,
  deps: VerifyDeps,
  source: PolicySource | undefined,
  values: { vsa?: boolean; 'vsa-signer'?: string; 'verifier-id'?: string },
  vsaKeys: VerifyDeps['keys'],
  io: CliIo
): Promise<VerifyReport> {
  if (values.vsa && source) {
    const summary = await reportFromVsa(
      hex,
      deps.store,
      source,
      vsaKeys,
      deps.now
    );
    if (summary) return summary;
    io.stderr(
      'verify: no VSA for this policy is stored; judging the attestations\n'
    );
  }
  const signer = values['vsa-signer'];
  if (signer === undefined || !source) return verifyDigest(hex, deps);
  const verifierId = values['verifier-id'] ?? DEFAULT_VERIFIER_ID;
  return (await judgeAndSummarize(hex, deps, source, signer, verifierId, io))
    .report;
}
