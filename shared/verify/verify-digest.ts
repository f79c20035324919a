// `verify`: every attestation stored for a digest is checked, then the policy is applied to the
// verified statements only; the result is one report (text, JSON and graph render it).
import { digestPrefix } from '../core/layout.js';
import type { AttestationStore } from '../stores/store.js';
import {
  checkAttestation,
  type CheckedAttestation,
} from './attestation-check.js';
import { checkEvent } from './event-check.js';
import type { VerificationKey } from './keys.js';
import { checkLinkedEvent } from './linked-event.js';
import type { Policy } from './policy.js';
import { readEnvelope } from './read-envelope.js';
import {
  fail,
  REPORT_SCHEMA_VERSION,
  type CheckResult,
  type EventReport,
  type RunReport,
  type VerifyReport,
} from './report.js';
import { metaChecks, taskChecks } from './run-checks.js';
import { runReport, type RunGroup } from './run-report.js';
import type { TaskView } from './view.js';

export interface VerifyDeps {
  store: AttestationStore;
  keys: readonly VerificationKey[];
  policy: Policy;
  // The verification time (maxAge); a parameter so the core has no clock.
  now: Date;
}

interface Found {
  checks: CheckResult[];
  attestations: CheckedAttestation[];
  events: EventReport[];
}

const isEventKey = (key: string): boolean =>
  /\/event-[^/]+\.dsse\.json$/.test(key);

async function checkStored(hex: string, deps: VerifyDeps): Promise<Found> {
  const found: Found = { checks: [], attestations: [], events: [] };
  const keys = await deps.store.list(digestPrefix(hex));
  const envelopes = await Promise.all(
    keys.map((key) => readEnvelope(deps.store, key))
  );
  keys.forEach((key, i) => {
    const env = envelopes[i];
    if (env === undefined) return;
    if (typeof env === 'string')
      return void found.checks.push(
        fail('envelope', key, 'ENVELOPE_MALFORMED', env)
      );
    if (isEventKey(key)) {
      const event = checkEvent('event', key, env, hex, deps.keys);
      found.events.push(event.report);
      return void found.checks.push(...event.checks);
    }
    const checked = checkAttestation(key, env, hex, deps.keys);
    found.attestations.push(checked);
    found.checks.push(...checked.checks);
  });
  if (keys.length === 0)
    found.checks.push(
      fail(
        'attestations',
        `sha256:${hex}`,
        'ATTESTATION_MISSING',
        `no attestation for sha256:${hex} in ${deps.store.location}`
      )
    );
  return found;
}

// Verified statements grouped by run (kind + uid from the store key, else the invocation id).
function groupRuns(attestations: CheckedAttestation[]): RunGroup[] {
  const groups = new Map<string, RunGroup>();
  for (const a of attestations) {
    const uid =
      a.report.key.match(/\/(?:taskrun|pipelinerun)-([A-Za-z0-9-]+)\./)?.[1] ??
      a.view?.invocationId ??
      a.report.key;
    const kind =
      a.view?.kind ?? (a.report.kind === 'taskrun' ? 'TaskRun' : 'PipelineRun');
    if (!a.report.verified) continue;
    const id = `${kind}/${uid}`;
    const group = groups.get(id) ?? { kind, uid, views: [], formats: [] };
    if (a.view) group.views.push(a.view);
    if (a.report.format) group.formats.push(a.report.format);
    if (a.runStatus?.status) group.status = a.runStatus.status;
    groups.set(id, group);
  }
  return [...groups.values()];
}

async function checkRun(
  group: RunGroup,
  deps: VerifyDeps
): Promise<{ run: RunReport; checks: CheckResult[] }> {
  const reasons = new Map<TaskView, string | undefined>();
  const checks = [
    ...taskChecks(group, deps.policy, reasons),
    ...metaChecks(group, deps.policy, deps.now),
  ];
  const linked =
    group.kind === 'PipelineRun'
      ? await checkLinkedEvent(group, deps.policy, deps.store, deps.keys)
      : { checks: [] };
  const run = runReport(group, deps.policy.trustedTasks ? reasons : undefined);
  if (linked.event) run.event = linked.event;
  return { run, checks: [...linked.checks, ...checks] };
}

// Verifies sha256:<hex> against the store, keys and policy.
export async function verifyDigest(
  hex: string,
  deps: VerifyDeps
): Promise<VerifyReport> {
  const found = await checkStored(hex, deps);
  const groups = groupRuns(found.attestations);
  const results = await Promise.all(groups.map((g) => checkRun(g, deps)));
  const checks = [...found.checks, ...results.flatMap((r) => r.checks)];
  const needsRun =
    deps.policy.requireTriggerEvent || deps.policy.trustedTasks !== undefined;
  if (found.attestations.length > 0 && groups.length === 0 && needsRun) {
    checks.push(
      fail(
        'provenance',
        `sha256:${hex}`,
        'PROVENANCE_MISSING',
        'no attestation for the digest verified, so the policy cannot be applied'
      )
    );
  }
  const names = groups
    .flatMap((g) => g.views)
    .flatMap((v) => v.subjects)
    .filter((s) => s.digest.sha256 === hex)
    .map((s) => s.name);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    digest: `sha256:${hex}`,
    subjectNames: [...new Set(names)].sort(),
    passed: checks.length > 0 && checks.every((c) => c.passed),
    verifiedAt: deps.now.toISOString(),
    attestations: found.attestations.map((a) => a.report),
    runs: results.map((r) => r.run),
    events: found.events,
    checks,
  };
}
