// The sweep behind `reconcile` and `backfill`: every finished run in the window gets the attestRun treatment.
import type { AttestDeps } from './attest.js';
import type { RunSource } from './kube/run-source.js';
import type { RunLister } from './kube/run-lister.js';
import type { Logger } from './log.js';
import { examineRun, type ExamineContext } from './reconcile/examine-run.js';
import { ReportTally, type ReconcileReport } from './reconcile/report.js';
import {
  catchUp,
  decodeCursor,
  encodeCursor,
  keyOf,
  restartScope,
  SWEEP_KINDS,
  type SweepCursor,
} from './reconcile/sweep-cursor.js';

export type { ReconcileReport } from './reconcile/report.js';

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

interface Sweep {
  deps: ReconcileDeps;
  ctx: ExamineContext;
  deadline: number;
  concurrency: number;
  moved: boolean;
}

function mayStart(s: Sweep, clock: () => number): boolean {
  const ok = !s.moved || clock() < s.deadline;
  if (ok) s.moved = true;
  return ok;
}

// Examines items[offset…] with bounded parallelism; returns the offset reached (every item before it is done).
async function sweepPage(
  s: Sweep,
  items: unknown[],
  offset: number,
  cursor: SweepCursor
): Promise<number> {
  const kind = SWEEP_KINDS[cursor.kind] ?? 'taskrun';
  const clock = s.deps.clock ?? Date.now;
  let next = offset;
  const worker = async (): Promise<void> => {
    while (next < items.length && mayStart(s, clock)) {
      await examineRun(items[next++], kind, s.ctx);
    }
  };
  await Promise.all(Array.from({ length: s.concurrency }, worker));
  return next;
}

// Walks one kind in one scope page by page; returns false when the budget ran out (cursor then says where).
async function sweepScope(s: Sweep, cursor: SweepCursor): Promise<boolean> {
  const clock = s.deps.clock ?? Date.now;
  for (;;) {
    if (s.moved && clock() >= s.deadline) return false;
    const namespace = cursor.namespaces[cursor.scope];
    const page = await s.deps.lister.listRuns(
      SWEEP_KINDS[cursor.kind] ?? 'taskrun',
      {
        limit: cursor.limit,
        ...(namespace === undefined ? {} : { namespace }),
        ...(cursor.page === undefined ? {} : { continue: cursor.page }),
      }
    );
    if (page.restarted) restartScope(cursor);
    if (cursor.catchUp) catchUp(cursor, page.items);
    const start = cursor.offset;
    cursor.offset = await sweepPage(s, page.items, start, cursor);
    if (cursor.offset > start) {
      cursor.after = keyOf(page.items[cursor.offset - 1]);
    }
    if (cursor.offset < page.items.length) return false;
    s.moved = true;
    cursor.offset = 0;
    if (page.continue === undefined) return true;
    cursor.page = page.continue;
  }
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

function makeSweep(
  deps: ReconcileDeps,
  opts: ReconcileOptions,
  since: number,
  started: number
): Sweep {
  const ctx: ExamineContext = {
    source: deps.source,
    attest: deps.attest,
    embedTriggerEvent: deps.embedTriggerEvent,
    since,
    tally: new ReportTally(),
    ...(deps.logger ? { logger: deps.logger } : {}),
  };
  const concurrency = opts.concurrency ?? 4;
  const deadline = started + opts.budgetMs;
  return { deps, ctx, deadline, concurrency, moved: false };
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
