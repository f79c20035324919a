// The sweep behind `reconcile` and `backfill`: every finished run in the window gets the attestRun treatment.
import type { AttestDeps } from './attest.js';
import type { RunSource } from './kube/run-source.js';
import type { RunLister } from './kube/run-lister.js';
import type { Logger } from './log.js';
import type { ReconcileReport } from './reconcile/report.js';
import { makeSweep, sweepScope } from './reconcile/sweep.js';
import {
  decodeCursor,
  encodeCursor,
  SWEEP_KINDS,
  type SweepCursor,
} from './reconcile/sweep-cursor.js';

export type { ReconcileReport } from './reconcile/report.js';

// What a sweep uses: the run lister and source, attestRun's dependencies and optionally a clock and logger.
export interface ReconcileDeps {
  lister: RunLister;
  // The attestRun source: one GET of the run and, for a PipelineRun, one LIST of its children.
  source: RunSource;
  // As attestRun uses them; attest.triggerLink, else {embed: embedTriggerEvent, warn: logger}, links each run.
  attest: AttestDeps;
  embedTriggerEvent: boolean;
  // Milliseconds since the epoch; tests pass their own.
  clock?: () => number;
  logger?: Logger;
}

// One call's scope and limits; `continue` resumes where the previous call stopped.
export interface ReconcileOptions {
  // Runs completed within this many ms before the first call (ignored when continuing).
  windowMs: number;
  // Empty or absent: every namespace (ignored when continuing).
  namespaces?: string[];
  continue?: string;
  // Time budget of this call; the sweep stops between runs once it is spent (at least one run per call).
  budgetMs: number;
  pageSize?: number;
  // Attestations in flight at once.
  concurrency?: number;
}

function startCursor(opts: ReconcileOptions, now: number): SweepCursor {
  if (opts.continue !== undefined) return decodeCursor(opts.continue);
  return {
    since: now - opts.windowMs,
    namespaces: [...new Set(opts.namespaces ?? [])].sort(),
    kind: 0,
    scope: 0,
    offset: 0,
    limit: opts.pageSize ?? 500,
  };
}

// Sweeps TaskRuns then PipelineRuns, per namespace or cluster-wide; a failing Kubernetes list throws (SourceError).
export async function reconcile(
  deps: ReconcileDeps,
  opts: ReconcileOptions
): Promise<ReconcileReport> {
  const clock = deps.clock ?? Date.now;
  const started = clock();
  const cursor = startCursor(opts, started);
  const s = makeSweep(deps, opts, cursor.since, started);
  const scopes = Math.max(cursor.namespaces.length, 1);
  for (; cursor.kind < SWEEP_KINDS.length; cursor.kind++, cursor.scope = 0) {
    for (; cursor.scope < scopes; cursor.scope++) {
      if (!(await sweepScope(s, cursor))) {
        return s.ctx.tally.finish(clock() - started, encodeCursor(cursor));
      }
      delete cursor.page;
      delete cursor.after;
    }
  }
  return s.ctx.tally.finish(clock() - started);
}
