// trustedPipelines and coverage: a digest passes only through a verified PipelineRun attestation whose own pipeline (its
// pipelineRef and the refSource the controller resolved) is trusted; TaskRuns outside one cannot pass.
import type { Policy } from './policy.js';
import { refMismatchReason } from './ref-consistency.js';
import { fail, pass, type CheckResult } from './report.js';
import { namespaceOf, type RunGroup } from './run-report.js';
import { describeRef } from './task-ref.js';
import { untrustedReason } from './trust.js';
import type { ScopedRuns } from './run-scope.js';
import type { Found } from './stored-attestations.js';

const runName = (g: RunGroup): string => `${g.kind} ${g.uid}`;

// The pipeline check of one PipelineRun; nothing when the policy has no trustedPipelines.
export function pipelineChecks(group: RunGroup, policy: Policy): CheckResult[] {
  if (!policy.trustedPipelines || group.kind !== 'PipelineRun') return [];
  const view = group.views.find((v) => v.ref !== undefined);
  const untrusted = (message: string) => [
    fail('trusted-pipeline', runName(group), 'PIPELINE_UNTRUSTED', message),
  ];
  if (!view?.ref)
    return untrusted('no verified statement records the pipelineRef');
  const own = { ref: view.ref, ...(view.source && { source: view.source }) };
  const mismatch = refMismatchReason(own);
  if (mismatch) return untrusted(mismatch);
  const ns = namespaceOf(group);
  const reason = untrustedReason(own, policy.trustedPipelines, {
    ...(ns !== undefined && { namespace: ns }),
    list: 'trustedPipelines',
    allowInline: false,
  });
  return reason === undefined
    ? [
        pass(
          'trusted-pipeline',
          runName(group),
          `matches trustedPipelines: ${describeRef(view.ref)}`
        ),
      ]
    : untrusted(`untrusted pipeline: ${reason}`);
}

// A TaskRun attestation that is part of no verified PipelineRun attestation of the digest.
export function orphanTaskRunCheck(group: RunGroup): CheckResult {
  return fail(
    'trusted-pipeline',
    runName(group),
    'PIPELINERUN_MISSING',
    'the TaskRun is part of no verified PipelineRun attestation of this digest (trustedPipelines)'
  );
}

// A policy that judges runs, applied to a digest no judged run attestation names.
export function missingRunChecks(
  hex: string,
  found: Found,
  scoped: ScopedRuns,
  policy: Policy
): CheckResult[] {
  const target = `sha256:${hex}`;
  if (
    policy.trustedPipelines &&
    !scoped.judged.some((g) => g.kind === 'PipelineRun')
  )
    return [
      fail(
        'trusted-pipeline',
        target,
        'PIPELINERUN_MISSING',
        'no verified PipelineRun attestation of an allowed namespace names the digest (trustedPipelines)'
      ),
    ];
  const needsRun =
    policy.requireTriggerEvent ||
    policy.trustedTasks !== undefined ||
    policy.allowedNamespaces !== undefined;
  if (found.attestations.length === 0 || scoped.judged.length > 0 || !needsRun)
    return [];
  const why = scoped.ignored.length > 0 ? ' of an allowed namespace' : '';
  return [
    fail(
      'provenance',
      target,
      'PROVENANCE_MISSING',
      `no attestation${why} for the digest verified, so the policy cannot be applied`
    ),
  ];
}
