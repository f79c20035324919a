// Pieces shared by the v0.2 and v1.0 statement readers.
import type { Subject } from '../core/types.js';
import { isObj, str, stringMap, type Obj } from './json.js';
import { classifyRef } from './task-ref.js';
import type { EventLink, Material, OtherChild, RunFacts } from './view.js';

// Subjects as {name, digest} pairs; malformed entries are dropped (they can match nothing).
export function readSubjects(statement: Obj): Subject[] {
  const list = Array.isArray(statement.subject) ? statement.subject : [];
  return list
    .filter((s): s is Obj => isObj(s) && typeof s.name === 'string')
    .map((s) => ({ name: s.name as string, digest: stringMap(s.digest) }));
}

// A {uri, digest} descriptor when it has both, else undefined.
export function readMaterial(v: unknown): Material | undefined {
  if (!isObj(v)) return undefined;
  const uri = str(v.uri);
  const digest = stringMap(v.digest);
  const entryPoint = str(v.entryPoint);
  if (!uri || Object.keys(digest).length === 0) return undefined;
  return { uri, digest, ...(entryPoint && { entryPoint }) };
}

// Every well-formed {uri, digest} of a list (materials, resolvedDependencies).
export function readMaterials(v: unknown): Material[] {
  return (Array.isArray(v) ? v : [])
    .map(readMaterial)
    .filter((m): m is Material => m !== undefined);
}

// Tekton's Succeeded condition as Chains names it: Succeeded, Failed or Running.
export function statusOf(conditions: unknown): string | undefined {
  if (!Array.isArray(conditions)) return undefined;
  const c = conditions.find((x) => isObj(x) && x.type === 'Succeeded') as
    Obj | undefined;
  if (!c) return undefined;
  return c.status === 'True'
    ? 'Succeeded'
    : c.status === 'False'
      ? 'Failed'
      : 'Running';
}

// Tekton params ([{name, value}]) as a name→value map.
export function paramMap(v: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of Array.isArray(v) ? v : []) {
    if (isObj(p) && typeof p.name === 'string') out[p.name] = p.value;
  }
  return out;
}

// Optional string fields without writing `undefined` (exactOptionalPropertyTypes).
export function defined<T extends Record<string, unknown>>(
  o: T
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined)
  ) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

const EVENT_URI = /^events\/[A-Za-z0-9._-]+\/event\.dsse\.json$/;

function embedded(content: unknown): unknown {
  if (typeof content !== 'string') return undefined;
  try {
    return JSON.parse(
      Buffer.from(content, 'base64').toString('utf8')
    ) as unknown;
  } catch {
    return undefined;
  }
}

// Links to trigger events: named `triggerEvent`, or a material whose uri is an events/<id>/event.dsse.json key.
export function readEventLinks(v: unknown): EventLink[] {
  const out: EventLink[] = [];
  for (const d of Array.isArray(v) ? v : []) {
    if (
      !isObj(d) ||
      (d.name !== 'triggerEvent' && !EVENT_URI.test(String(d.uri)))
    )
      continue;
    const sha256 = stringMap(d.digest).sha256;
    if (typeof d.uri !== 'string' || !sha256) continue;
    const env = embedded(d.content);
    out.push({
      uri: d.uri,
      sha256,
      ...(env !== undefined && { embedded: env }),
    });
  }
  return out;
}

function readOtherChildren(v: unknown): OtherChild[] {
  return (Array.isArray(v) ? v : []).filter(isObj).map((c) => ({
    kind: String(c.kind),
    name: String(c.name),
    pipelineTaskName: String(c.pipelineTaskName),
  }));
}

// Our `tektonRun` facts, when the statement has them (Chains' statements do not).
export function readRunFacts(
  v: unknown,
  isPipeline: boolean
): RunFacts | undefined {
  if (!isObj(v)) return undefined;
  const ref =
    v.ref === undefined
      ? undefined
      : classifyRef(v.ref, isPipeline ? 'Pipeline' : 'Task');
  return {
    otherChildren: readOtherChildren(v.otherChildren),
    ...defined({
      name: str(v.name),
      namespace: str(v.namespace),
      status: str(v.status),
      ref,
    }),
  };
}
