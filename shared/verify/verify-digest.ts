// `verify`: every attestation stored for a digest is checked, then the policy is applied to the
// verified statements only; the result is one report (text, JSON and graph render it).
import type { AttestationStore } from '../stores/store.js';
import type { VerificationKey } from './keys.js';
import {
  agreementChecks,
  judgeabilityChecks,
  successChecks,
} from './judge-checks.js';
import { checkLinkedEvent, orphanEventChecks } from './linked-event.js';
import {
  missingRunChecks,
  orphanTaskRunCheck,
  pipelineChecks,
} from './pipeline-checks.js';
import type { Policy } from './policy.js';
import {
  REPORT_SCHEMA_VERSION,
  type CheckResult,
  type RunReport,
  type VerifyReport,
} from './report.js';
import { metaChecks, taskChecks } from './run-checks.js';
import { runReport, type RunGroup } from './run-report.js';
import { parentOf, scopeRuns } from './run-scope.js';
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

// Every check of one judged run; a TaskRun that is part of a judged PipelineRun takes its event from it.
async function checkRun(
  group: RunGroup,
  judged: readonly RunGroup[],
  deps: VerifyDeps
): Promise<{ run: RunReport; checks: CheckResult[] }> {
  const { policy } = deps;
  const reasons = new Map<TaskView, string | undefined>();
  const parent = group.kind === 'TaskRun' ? parentOf(group, judged) : undefined;
  const checks = [
    ...taskChecks(group, policy, reasons),
    ...(policy.trustedTasks ? judgeabilityChecks(group) : []),
    ...agreementChecks(group),
    ...successChecks(group, policy),
    ...pipelineChecks(group, policy),
    ...(policy.trustedPipelines && group.kind === 'TaskRun' && !parent
      ? [orphanTaskRunCheck(group)]
      : []),
    ...metaChecks(group, policy, deps.now),
  ];
  const linked =
    group.kind === 'PipelineRun'
      ? await checkLinkedEvent(
          group,
          policy,
          deps.store,
          deps.eventKeys ?? deps.keys
        )
      : { checks: parent ? [] : orphanEventChecks(group, policy) };
  const run = runReport(group, policy.trustedTasks ? reasons : undefined);
  if (linked.event) run.event = linked.event;
  if (parent) run.partOf = parent.uid;
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
  const scoped = scopeRuns(groups, deps.policy);
  const judged = scoped.judged;
  const results = await Promise.all(
    judged.map((g) => checkRun(g, judged, deps))
  );
  const checks = [
    ...found.checks,
    ...results.flatMap((r) => r.checks),
    ...missingRunChecks(hex, found, scoped, deps.policy),
  ];
  const ignored = scoped.ignored.map(({ group, reason }) => ({
    ...runReport(group),
    ignored: reason,
  }));
  const why = new Map(
    scoped.ignored.flatMap(({ group, reason }) =>
      group.keys.map((k) => [k, reason] as const)
    )
  );
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    digest: `sha256:${hex}`,
    subjectNames: subjectNamesOf(judged, hex),
    passed: checks.length > 0 && checks.every((c) => c.passed),
    verifiedAt: deps.now.toISOString(),
    attestations: found.attestations.map((a) => {
      const reason = why.get(a.report.key);
      return reason === undefined ? a.report : { ...a.report, ignored: reason };
    }),
    runs: [...results.map((r) => r.run), ...ignored],
    events: found.events,
    checks,
  };
}
