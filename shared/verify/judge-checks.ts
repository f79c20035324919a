// Checks that judge what ran, beyond which tasks are trusted: did the run and its tasks succeed, do the
// recorded refs agree, is every child a task we can judge, and do all formats tell the same story.
import type { Policy } from './policy.js';
import { refMismatchReason } from './ref-consistency.js';
import { fail, pass, type CheckResult } from './report.js';
import { statusOf, tasksOf, type RunGroup } from './run-report.js';
import { describeRef } from './task-ref.js';
import type { ProvenanceView } from './view.js';

const runName = (g: RunGroup): string => `${g.kind} ${g.uid}`;

// requireSucceeded: the run's Succeeded condition, then every task that ran (skipped tasks are not listed).
export function successChecks(group: RunGroup, policy: Policy): CheckResult[] {
  if (!policy.requireSucceeded) return [];
  const status = statusOf(group);
  const run =
    status === 'Succeeded'
      ? pass('succeeded', runName(group), `${group.kind} succeeded`)
      : fail(
          'succeeded',
          runName(group),
          'NOT_SUCCEEDED',
          status === undefined
            ? 'no verified statement records the run status (requireSucceeded)'
            : `the ${group.kind} is ${status}`
        );
  const tasks = group.kind === 'PipelineRun' ? (tasksOf(group) ?? []) : [];
  const failed = tasks
    .filter((t) => t.status !== 'Succeeded')
    .map((t) =>
      fail(
        'succeeded',
        t.name,
        'NOT_SUCCEEDED',
        `task ${t.name} is ${t.status ?? 'of unknown status'}`
      )
    );
  return [run, ...failed];
}

// TASK_REF_MISMATCH for each task whose recorded refs disagree, CHILD_UNJUDGED for each child that is no task.
export function judgeabilityChecks(group: RunGroup): CheckResult[] {
  const mismatches = (tasksOf(group) ?? []).flatMap((t) => {
    const reason = refMismatchReason(t);
    return reason
      ? [fail('task-ref', t.name, 'TASK_REF_MISMATCH', reason)]
      : [];
  });
  const others = group.views[0]?.facts?.otherChildren ?? [];
  const unjudged = others.map((c) =>
    fail(
      'child',
      `${c.kind} ${c.name}`,
      'CHILD_UNJUDGED',
      `pipeline task ${c.pipelineTaskName} ran as a ${c.kind}, which trustedTasks cannot judge`
    )
  );
  return [...mismatches, ...unjudged];
}

// What two statements of one run must agree on: run facts and the tasks they list.
function story(v: ProvenanceView, withTasks: boolean): string {
  const f = v.facts;
  const tasks = (v.tasks ?? [])
    .map((t) => `${t.name}|${describeRef(t.ref)}|${t.status ?? ''}`)
    .sort();
  return JSON.stringify([
    f?.namespace,
    f?.status,
    f?.ref && describeRef(f.ref),
    f?.otherChildren.map((c) => `${c.kind}/${c.name}`).sort(),
    withTasks ? tasks : undefined,
  ]);
}

// Every format's view is judged: when two verified statements of one run disagree, the run fails.
export function agreementChecks(group: RunGroup): CheckResult[] {
  const ours = group.views.filter((v) => v.facts !== undefined);
  const listing = ours.filter((v) => v.tasks !== undefined);
  const views = listing.length >= 2 ? listing : ours;
  const stories = new Set(views.map((v) => story(v, listing.length >= 2)));
  if (stories.size <= 1) return [];
  const formats = ours.map((v) => v.format).join(', ');
  return [
    fail(
      'formats-agree',
      runName(group),
      'FORMATS_DISAGREE',
      `the verified ${formats} statements of this run record different runs or tasks`
    ),
  ];
}
