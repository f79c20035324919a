// Readers for the policy's top-level fields: each reports into Problems and returns what it could read.
import { isFormat, type Format } from '../core/formats.js';
import { readDuration } from './duration.js';
import { isObj } from './json.js';
import type { Problems } from './policy-parts.js';

// A value the build used — a PipelineRun param, or a result of a pipeline task's TaskRun — that must equal
// a field of the signed trigger event's body.
export type EventBinding =
  | { param: string; event: string }
  | { task: string; result: string; event: string };

// A list whose items `item` reads; items it could not read were reported and are dropped.
export function readList<T>(
  v: unknown,
  at: string,
  p: Problems,
  item: (x: unknown, at: string) => T | undefined
): T[] {
  if (!Array.isArray(v)) return (p.add(at, 'expected a list'), []);
  return v
    .map((x, i) => item(x, `${at}[${i}]`))
    .filter((x): x is T => x !== undefined);
}

function readBinding(
  v: unknown,
  at: string,
  p: Problems
): EventBinding | undefined {
  if (!isObj(v))
    return void p.add(
      at,
      'expected a mapping with param (or task and result) and event'
    );
  if ('task' in v || 'result' in v) {
    p.keys(v, ['task', 'result', 'event'], at);
    const task = p.str(v, 'task', at, true);
    const result = p.str(v, 'result', at, true);
    const event = p.str(v, 'event', at, true);
    return task && result && event ? { task, result, event } : undefined;
  }
  p.keys(v, ['param', 'event'], at);
  const param = p.str(v, 'param', at, true);
  const event = p.str(v, 'event', at, true);
  return param && event ? { param, event } : undefined;
}

// true or false; absent is false.
export function readBool(v: unknown, at: string, p: Problems): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean')
    p.add(at, `expected true or false, got ${JSON.stringify(v)}`);
  return v === true;
}

// eventBindings; absent binds nothing.
export function readBindings(v: unknown, p: Problems): EventBinding[] {
  return v === undefined
    ? []
    : readList(v, 'eventBindings', p, (x, at) => readBinding(x, at, p));
}

// requiredFormats; absent requires none.
export function readFormats(v: unknown, p: Problems): Format[] {
  return v === undefined
    ? []
    : readList(v, 'requiredFormats', p, (x, at) =>
        isFormat(x)
          ? x
          : void p.add(
              at,
              `expected slsa/v0.2, slsa/v1.0 or tekton, got ${JSON.stringify(x)}`
            )
      );
}

// allowedBuilderIds: non-empty strings.
export function readBuilderIds(v: unknown, p: Problems): string[] {
  return readList(v, 'allowedBuilderIds', p, (x, at) =>
    typeof x === 'string' && x
      ? x
      : void p.add(at, 'expected a builder id string')
  );
}

// maxAge in milliseconds; undefined (and reported) when it is not a duration.
export function readMaxAge(v: unknown, p: Problems): number | undefined {
  const ms = readDuration(v);
  if (ms === undefined)
    p.add(
      'maxAge',
      `expected a duration such as 30d, 12h, 90m or 3600s, got ${JSON.stringify(v)}`
    );
  return ms;
}

// allowedNamespaces: non-empty namespace names.
export function readNamespaces(v: unknown, p: Problems): string[] {
  return readList(v, 'allowedNamespaces', p, (x, at) =>
    typeof x === 'string' && x.trim() !== ''
      ? x.trim()
      : void p.add(at, 'expected a namespace name')
  );
}

// verifiedLevels: SLSA results a PASSED VSA claims, at most one per track (SLSA_BUILD_LEVEL_3 → BUILD).
export function readVerifiedLevels(v: unknown, p: Problems): string[] {
  const levels = readList(v, 'verifiedLevels', p, (x, at) =>
    typeof x === 'string' && /^[A-Z][A-Z0-9_]*$/.test(x) && x !== 'FAILED'
      ? x
      : void p.add(
          at,
          'expected a level such as SLSA_BUILD_LEVEL_2 (FAILED is for failed summaries only)'
        )
  );
  const tracks = levels.map(
    (l) => /^SLSA_([A-Z]+)_LEVEL_\d+$/.exec(l)?.[1] ?? l
  );
  if (new Set(tracks).size !== tracks.length)
    p.add('verifiedLevels', 'expected at most one level per SLSA track');
  return levels;
}
