// Walking the run lists within one call's time budget: page by page, a few runs examined at once.
import type { ReconcileDeps, ReconcileOptions } from '../reconcile.js';
import { examineRun, type ExamineContext } from './examine-run.js';
import { ReportTally } from './report.js';
import {
  catchUp,
  keyOf,
  restartScope,
  SWEEP_KINDS,
  type SweepCursor,
} from './sweep-cursor.js';

// One call's sweep state: what examining needs, the deadline and whether any progress was made.
export interface Sweep {
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
export async function sweepScope(
  s: Sweep,
  cursor: SweepCursor
): Promise<boolean> {
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

// A fresh sweep for one call: its examine context, deadline (started + budget) and parallelism.
export function makeSweep(
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
