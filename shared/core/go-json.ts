// JSON helpers that mirror how Chains serialises values: Go encoding/json (sorted keys, HTML-safe
// escapes) for byproduct contents, and sorted-key copies so embedded run data is byte-stable.

// A deep copy with object keys in code-point order; arrays keep their order.
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) out[key] = sortKeys(item);
    }
    return out;
  }
  return value;
}

const GO_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

// Go json.Marshal of a decoded JSON value: keys sorted, no spaces, <>& and U+2028/9 escaped.
export function goJsonMarshal(value: unknown): string {
  return JSON.stringify(sortKeys(value)).replace(
    /[<>&\u2028\u2029]/g,
    (ch) => GO_ESCAPES[ch] ?? ch
  );
}

// Canonical bytes for values we embed or sign: sorted keys, no spaces.
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

// True for the values Go's `omitempty` (and protojson) leave out: false, 0, "", null, [] and {}.
export function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return true;
  if (value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}
