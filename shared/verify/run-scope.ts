// Which verified runs decide a digest: runs of allowed namespaces (the rest are reported as ignored, so nobody
// outside them can veto or pass a release), and which PipelineRun a TaskRun's attestation is part of.
import type { Policy } from './policy.js';
import { namespaceOf, tasksOf, type RunGroup } from './run-report.js';

export interface ScopedRuns {
  judged: RunGroup[];
  ignored: { group: RunGroup; reason: string }[];
}

// Splits the runs by allowedNamespaces; a run whose namespace is not recorded is outside every allowed one.
export function scopeRuns(groups: RunGroup[], policy: Policy): ScopedRuns {
  const allowed = policy.allowedNamespaces;
  const out: ScopedRuns = { judged: [], ignored: [] };
  for (const group of groups) {
    const ns = namespaceOf(group);
    if (!allowed || (ns !== undefined && allowed.includes(ns))) {
      out.judged.push(group);
      continue;
    }
    const reason =
      ns === undefined
        ? 'its namespace is not recorded, so it is outside allowedNamespaces'
        : `namespace ${ns} is not in allowedNamespaces`;
    out.ignored.push({ group, reason });
  }
  return out;
}

// The PipelineRun (among the judged runs of this digest) whose statements list this TaskRun: by its uid where
// the statement embeds TaskRuns (v1.0 slsa-tekton), else by the pipelineRunUID label and a task of that name.
export function parentOf(
  taskRun: RunGroup,
  runs: readonly RunGroup[]
): RunGroup | undefined {
  const labels = taskRun.views[0]?.labels ?? {};
  const parentUid = labels['tekton.dev/pipelineRunUID'];
  const taskName = labels['tekton.dev/pipelineTask'];
  return runs.find((pr) => {
    if (pr.kind !== 'PipelineRun' || pr.uid !== parentUid) return false;
    const tasks = pr.views.flatMap((v) => v.tasks ?? []);
    return tasks.some((t) => t.uid !== undefined)
      ? tasks.some((t) => t.uid === taskRun.uid)
      : (tasksOf(pr) ?? []).some((t) => t.name === taskName);
  });
}
