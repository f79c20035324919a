// `verify`: every attestation stored for a digest is checked, then the policy is applied to the
// verified statements only; the result is one report (text, JSON and graph render it).
import type { AttestationStore } from '../stores/store.js';
import type { VerificationKey } from './keys.js';
import { checkLinkedEvent } from './linked-event.js';
import type { Policy } from './policy.js';
import {
  fail,
  REPORT_SCHEMA_VERSION,
  type CheckResult,
  type RunReport,
  type VerifyReport,
} from './report.js';
import { metaChecks, taskChecks } from './run-checks.js';
import { runReport, type RunGroup } from './run-report.js';
import { checkStored, groupRuns } from './stored-attestations.js';
import type { TaskView } from './view.js';

// What verifyDigest reads: the store, the trusted keys, the policy and the time.
export interface VerifyDeps {
  store: AttestationStore;
  keys: readonly VerificationKey[];
  // Keys trusted for trigger events (--event-key); when absent, `keys` are used for events too.
  eventKeys?: readonly VerificationKey[];
  policy: Policy;
  // The verification time (maxAge); a parameter so the core has no clock.
  now: Date;
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
      ? await checkLinkedEvent(
          group,
          deps.policy,
          deps.store,
          deps.eventKeys ?? deps.keys
        )
      : { checks: [] };
  const run = runReport(group, deps.policy.trustedTasks ? reasons : undefined);
  if (linked.event) run.event = linked.event;
  return { run, checks: [...linked.checks, ...checks] };
}

// The names the verified statements give the digest, sorted and without repeats.
function subjectNamesOf(groups: RunGroup[], hex: string): string[] {
  const names = groups
    .flatMap((g) => g.views)
    .flatMap((v) => v.subjects)
    .filter((s) => s.digest.sha256 === hex)
    .map((s) => s.name);
  return [...new Set(names)].sort();
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
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    digest: `sha256:${hex}`,
    subjectNames: subjectNamesOf(groups, hex),
    passed: checks.length > 0 && checks.every((c) => c.passed),
    verifiedAt: deps.now.toISOString(),
    attestations: found.attestations.map((a) => a.report),
    runs: results.map((r) => r.run),
    events: found.events,
    checks,
  };
}
