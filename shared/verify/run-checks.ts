// Policy checks over one run's verified statements: trusted tasks, formats, builder ids, age.
import { formatDuration } from './duration.js';
import type { Policy } from './policy.js';
import { fail, pass, type CheckResult } from './report.js';
import { namespaceOf, tasksOf, type RunGroup } from './run-report.js';
import { describeRef } from './task-ref.js';
import { untrustedReason } from './trust.js';
import type { TaskView } from './view.js';

const runName = (g: RunGroup): string => `${g.kind} ${g.uid}`;

// trustedTasks: one check per task; a run whose statements list no tasks fails as a whole.
export function taskChecks(
  group: RunGroup,
  policy: Policy,
  reasons: Map<TaskView, string | undefined>
): CheckResult[] {
  if (!policy.trustedTasks) return [];
  const tasks = tasksOf(group);
  if (!tasks) {
    return [
      fail(
        'trusted-tasks',
        runName(group),
        'TASKS_NOT_LISTED',
        'no verified statement lists the tasks (attest slsa/v0.2 or slsa/v1.0 with build type slsa-tekton)'
      ),
    ];
  }
  const ns = namespaceOf(group);
  const scope = {
    ...(ns !== undefined && { namespace: ns }),
    list: 'trustedTasks' as const,
    allowInline: policy.allowInlineTasks,
  };
  return tasks.map((task) => {
    const reason = untrustedReason(task, policy.trustedTasks ?? [], scope);
    reasons.set(task, reason);
    return reason === undefined
      ? pass(
          'trusted-task',
          task.name,
          `matches trustedTasks: ${reasonFreeRef(task)}`
        )
      : fail(
          'trusted-task',
          task.name,
          'TASK_UNTRUSTED',
          `untrusted task ${task.name}: ${reason}`
        );
  });
}

function reasonFreeRef(task: TaskView): string {
  return task.ref.type === 'inline'
    ? 'inline taskSpec (allowInlineTasks)'
    : describeRef(task.ref);
}

// requiredFormats, allowedBuilderIds and maxAge (against buildFinishedOn).
export function metaChecks(
  group: RunGroup,
  policy: Policy,
  now: Date
): CheckResult[] {
  const out: CheckResult[] = [];
  if (policy.requiredFormats.length > 0)
    out.push(formatsCheck(group, policy.requiredFormats));
  if (policy.allowedBuilderIds)
    out.push(builderCheck(group, policy.allowedBuilderIds));
  if (policy.maxAgeMs !== undefined)
    out.push(ageCheck(group, policy.maxAgeMs, now));
  return out;
}

function formatsCheck(
  group: RunGroup,
  required: Policy['requiredFormats']
): CheckResult {
  const have = new Set(group.formats);
  const missing = required.filter((f) => !have.has(f));
  return missing.length === 0
    ? pass('formats', runName(group), `formats ${[...have].join(', ')}`)
    : fail(
        'formats',
        runName(group),
        'FORMAT_MISSING',
        `no verified ${missing.join(', ')} attestation`
      );
}

function builderCheck(group: RunGroup, allowed: string[]): CheckResult {
  const bad = group.views.filter((v) => !allowed.includes(v.builderId ?? ''));
  return bad.length === 0
    ? pass(
        'builder',
        runName(group),
        `builder ${group.views[0]?.builderId ?? ''}`
      )
    : fail(
        'builder',
        runName(group),
        'BUILDER_NOT_ALLOWED',
        `builder.id ${JSON.stringify(bad[0]?.builderId ?? '')} is not in allowedBuilderIds`
      );
}

function ageCheck(group: RunGroup, maxAgeMs: number, now: Date): CheckResult {
  const target = runName(group);
  const finished = group.views
    .map((v) => v.finishedOn)
    .find((f) => f !== undefined);
  const at = finished === undefined ? NaN : Date.parse(finished);
  if (Number.isNaN(at))
    return fail(
      'max-age',
      target,
      'TOO_OLD',
      'no buildFinishedOn to compare with maxAge'
    );
  const age = now.getTime() - at;
  return age <= maxAgeMs
    ? pass(
        'max-age',
        target,
        `finished ${finished}, within ${formatDuration(maxAgeMs)}`
      )
    : fail(
        'max-age',
        target,
        'TOO_OLD',
        `finished ${finished}, older than maxAge ${formatDuration(maxAgeMs)}`
      );
}
