// One listed run through the sweep: window, "already attested?", then the attestRun path
// (shared/attest-run-ref.ts: fetch from the API server → completeness → attestInput with the trigger-event link).
import type { AttestDeps } from '../attest.js';
import { attestRunRef } from '../attest-run-ref.js';
import { describeError, IncompleteRunError } from '../core/errors.js';
import { runKey, runPrefix, signalKey, type RunKind } from '../core/layout.js';
import { isRunDone, normaliseRun, runIdentity } from '../core/tekton.js';
import type { TektonRun } from '../core/types.js';
import type { RunSource } from '../kube/run-source.js';
import type { Logger } from '../log.js';
import {
  SKIP_CHILDREN_INCOMPLETE,
  SKIP_NOT_FINISHED,
  type ReportTally,
} from './report.js';

// What examining a run needs: the attestRun source and attest dependencies, and the window start.
export interface ExamineContext {
  source: RunSource;
  attest: AttestDeps;
  // Single-record mode: embed the signed trigger event (as attestRun does).
  embedTriggerEvent: boolean;
  since: number;
  tally: ReportTally;
  logger?: Logger;
}

const KIND_HINT = { taskrun: 'TaskRun', pipelinerun: 'PipelineRun' } as const;

// The finish time: completionTime, else the Succeeded condition's transition time.
function completedAt(run: TektonRun): number {
  const cond = run.status.conditions?.find((c) => c.type === 'Succeeded');
  const text = run.status.completionTime ?? cond?.lastTransitionTime;
  return text === undefined ? NaN : Date.parse(text);
}

// A short label for reports and logs: namespace/kind/name.
export function runLabel(raw: unknown, kind: RunKind): string {
  const meta = (raw as { metadata?: { namespace?: unknown; name?: unknown } })
    ?.metadata;
  const text = (v: unknown) => (typeof v === 'string' ? v : '?');
  return `${text(meta?.namespace)}/${kind}/${text(meta?.name)}`;
}

// Every format's runs/… key is stored and, with a publisher, so is the signal's marker (a run whose
// publish failed after its keys were written is taken up again, so it is signalled on a later sweep).
async function alreadyDone(run: TektonRun, ctx: ExamineContext) {
  const id = runIdentity(run);
  const present = new Set(await ctx.attest.store.list(runPrefix(id)));
  const keys = ctx.attest.formats.map((f) => runKey(id, f));
  if (ctx.attest.publisher) keys.push(signalKey(id));
  return keys.every((key) => present.has(key));
}

// The attestRun path: the run is re-read, so the statement shows the API server's values.
async function attestListed(listed: TektonRun, ctx: ExamineContext) {
  const warn = (message: string, fields: Record<string, unknown>) =>
    ctx.logger?.log('WARNING', message, fields);
  // A caller's own link options (backfill's stderr warnings) win; else the function's logger.
  const triggerLink = ctx.attest.triggerLink ?? {
    embed: ctx.embedTriggerEvent,
    warn,
  };
  const attest = { ...ctx.attest, triggerLink };
  return attestRunRef(runIdentity(listed), {
    source: ctx.source,
    attest,
    warn,
  });
}

// Counts the outcome; false when the run finished before the window (then it is not examined).
async function examine(raw: unknown, kind: RunKind, ctx: ExamineContext) {
  const { tally } = ctx;
  const run = normaliseRun(raw, KIND_HINT[kind]);
  if (!isRunDone(run)) tally.skip(SKIP_NOT_FINISHED);
  else if (!(completedAt(run) >= ctx.since)) return false;
  else if (await alreadyDone(run, ctx)) tally.alreadyAttested++;
  else if ((await attestListed(run, ctx)).created.length > 0)
    tally.attestedNow++;
  // Only its signal was missing (or another path attested it meanwhile).
  else tally.alreadyAttested++;
  return true;
}

// Counts the run in ctx.tally; never throws, so one run cannot stop the sweep.
export async function examineRun(
  raw: unknown,
  kind: RunKind,
  ctx: ExamineContext
): Promise<void> {
  const { tally } = ctx;
  try {
    if (!(await examine(raw, kind, ctx))) return void tally.outsideWindow++;
  } catch (err) {
    if (err instanceof IncompleteRunError) tally.skip(SKIP_CHILDREN_INCOMPLETE);
    else tally.fail(runLabel(raw, kind), err);
    const message = `reconcile: ${runLabel(raw, kind)}: ${describeError(err)}`;
    ctx.logger?.log('WARNING', message);
  }
  tally.examined++;
}
