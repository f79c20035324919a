// eventBindings (CONTRACT §3): a value the build used — a PipelineRun param, or a result of the TaskRun(s) of a
// pipeline task (what a trusted task actually fetched) — must equal the value at a path of the verified event body.
import { valueAtPath } from './json.js';
import type { CheckedEvent } from './event-check.js';
import type { EventBinding } from './policy.js';
import { fail, pass, type CheckResult } from './report.js';
import { normaliseGitUrl } from './task-ref.js';
import type { TaskView } from './view.js';

// What the build used, as the verified PipelineRun statement records it.
export interface BuildValues {
  params: Record<string, unknown>;
  tasks: readonly TaskView[];
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

const GIT_URL = /^(git\+)?(https?|ssh|git):\/\/|^git@/;

// Equal as strings; two git URLs compare as trustedTasks compares them (`.git` suffix, case).
function same(a: unknown, b: unknown): boolean {
  const [x, y] = [text(a), text(b)];
  if (GIT_URL.test(x) && GIT_URL.test(y))
    return normaliseGitUrl(x) === normaliseGitUrl(y);
  return x === y;
}

// The values the binding names, or why there are none.
function usedValues(b: EventBinding, build: BuildValues): unknown[] | string {
  if ('param' in b)
    return b.param in build.params
      ? [build.params[b.param]]
      : `the PipelineRun has no parameter ${b.param}`;
  const runs = build.tasks.filter((t) => t.name === b.task);
  if (runs.length === 0) return `no task ${b.task} ran`;
  const missing = runs.find((t) => !(b.result in t.results));
  if (missing) return `task ${b.task} has no result ${b.result}`;
  return runs.map((t) => t.results[b.result]);
}

const describe = (b: EventBinding): string =>
  'param' in b ? `param ${b.param}` : `task ${b.task} result ${b.result}`;

// One binding checked against what the build used; every TaskRun of a bound task (matrix) must agree.
export function bindingCheck(
  b: EventBinding,
  build: BuildValues,
  checked: CheckedEvent | undefined
): CheckResult {
  const used = describe(b);
  const target = `${'param' in b ? b.param : `${b.task}.${b.result}`} = ${b.event}`;
  const mismatch = (message: string) =>
    fail('event-binding', target, 'EVENT_BINDING_MISMATCH', message);
  if (!checked?.report.verified)
    return mismatch('no verified trigger event to compare with');
  const have = usedValues(b, build);
  if (typeof have === 'string') return mismatch(have);
  const want = valueAtPath(checked.body, b.event);
  if (want === undefined) return mismatch(`the event body has no ${b.event}`);
  const bad = have.find((v) => !same(v, want));
  return bad === undefined
    ? pass(
        'event-binding',
        target,
        `${used} = event ${b.event} = ${JSON.stringify(have[0])}`
      )
    : mismatch(
        `${used} is ${JSON.stringify(bad)} but event ${b.event} is ${JSON.stringify(want)}`
      );
}
