// Narrowing helpers for decoded JSON (statements, policies, event bodies).
export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// A non-empty string, else undefined.
export const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : undefined;

// The object at a key, or an empty one.
export const objAt = (v: unknown, key: string): Obj => {
  const inner = isObj(v) ? v[key] : undefined;
  return isObj(inner) ? inner : {};
};

// Strings only, from a string-valued map (labels, digests).
export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObj(v)) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

// The value at a dotted path (`head_commit.id`, `commits.0.id`), or undefined.
export function valueAtPath(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const part of path.split('.')) {
    if (Array.isArray(cur) && /^\d+$/.test(part)) cur = cur[Number(part)];
    else if (isObj(cur) && Object.hasOwn(cur, part)) cur = cur[part];
    else return undefined;
  }
  return cur;
}
