// eventBindings (CONTRACT §3): a PipelineRun param must equal the value at a path of the verified event body.
import { valueAtPath } from './json.js';
import type { CheckedEvent } from './event-check.js';
import type { EventBinding } from './policy.js';
import { fail, pass, type CheckResult } from './report.js';

function text(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

// One binding checked against the run's params; values compare as strings (JSON for non-strings).
export function bindingCheck(
  b: EventBinding,
  params: Record<string, unknown>,
  checked: CheckedEvent | undefined
): CheckResult {
  const target = `${b.param} = ${b.event}`;
  const mismatch = (message: string) =>
    fail('event-binding', target, 'EVENT_BINDING_MISMATCH', message);
  if (!checked?.report.verified)
    return mismatch('no verified trigger event to compare with');
  if (!(b.param in params))
    return mismatch(`the PipelineRun has no parameter ${b.param}`);
  const want = valueAtPath(checked.body, b.event);
  const have = params[b.param];
  if (want === undefined) return mismatch(`the event body has no ${b.event}`);
  return text(want) === text(have)
    ? pass(
        'event-binding',
        target,
        `param ${b.param} = event ${b.event} = ${JSON.stringify(have)}`
      )
    : mismatch(
        `param ${b.param} is ${JSON.stringify(have)} but event ${b.event} is ${JSON.stringify(want)}`
      );
}
