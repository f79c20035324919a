// fast-check building blocks shared by the request generators: hostile values, paths, byte-level damage.
import fc from 'fast-check';

// Printable ASCII only: Node's HTTP client refuses control characters in header values.
export const headerText = (maxLength = 40) =>
  fc.string({
    unit: fc.mapToConstant({
      num: 95,
      build: (v) => String.fromCharCode(v + 32),
    }),
    maxLength,
  });

// Deeply nested JSON text (arrays or objects), the classic stack-depth attack.
export const deepJson = fc
  .tuple(
    fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(50, 1000, 20000) },
      fc.constant(200000)
    ),
    fc.boolean()
  )
  .map(([depth, arrays]) =>
    arrays
      ? '['.repeat(depth) + ']'.repeat(depth)
      : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
  );

// A value of the wrong type (or a hostile one) for any field the code reads.
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(null, true, false, 0, -1, 1e308, '', [], {}),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '../../etc/passwd',
      'a/b',
      'x\u0000y',
      'ﬁ\u202e名前',
      '__proto__'
    ),
  },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  fc.integer(),
  fc.double(),
  fc.constant('x'.repeat(20000)),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.anything({ maxDepth: 1 }), {
    maxKeys: 4,
  }),
  fc.anything({ maxDepth: 3 }),
  fc
    .constantFrom(50, 1000)
    .map((d) => JSON.parse('['.repeat(d) + ']'.repeat(d)) as unknown)
);

type Loose = Record<string, unknown> | unknown[];

// A copy of obj with the value at a dotted path replaced (or deleted when value is DELETE).
export const DELETE = Symbol('delete');
export function setPath(obj: unknown, path: string, value: unknown): unknown {
  const root = structuredClone(obj) as Loose;
  // Dotted path; a segment in brackets may itself contain dots (label keys).
  const parts = path
    .split(/\.(?![^[]*\])/)
    .map((p) => p.replace(/^\[(.*)\]$/, '$1'));
  let node: Loose = root;
  for (const part of parts.slice(0, -1)) {
    const next = (node as Record<string, unknown>)[part];
    if (typeof next !== 'object' || next === null)
      (node as Record<string, unknown>)[part] = /^\d+$/.test(part) ? [] : {};
    node = (node as Record<string, unknown>)[part] as Loose;
  }
  const last = parts[parts.length - 1]!;
  if (value === DELETE) delete (node as Record<string, unknown>)[last];
  else (node as Record<string, unknown>)[last] = value;
  return root;
}

// Damage at the byte level: truncation, random bytes, a flipped byte, an invalid UTF-8 sequence.
export function damaged(text: string): fc.Arbitrary<Buffer> {
  const bytes = Buffer.from(text);
  return fc.oneof(
    fc
      .integer({ min: 0, max: Math.max(0, bytes.length - 1) })
      .map((n) => bytes.subarray(0, n)),
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    fc
      .tuple(
        fc.nat(Math.max(0, bytes.length - 1)),
        fc.integer({ min: 0, max: 255 })
      )
      .map(([at, v]) => {
        const copy = Buffer.from(bytes);
        if (copy.length > 0) copy[at] = v;
        return copy;
      }),
    fc.constant(
      Buffer.concat([bytes.subarray(0, 20), Buffer.from([0xc3, 0x28, 0xff])])
    )
  );
}

// Content types body-parser treats differently (JSON, CloudEvents JSON, text, form, bytes, absent, odd).
export const contentType = fc.constantFrom(
  'application/json',
  'application/cloudevents+json',
  'application/cloudevents-batch+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  'application/json; charset=utf-16',
  'multipart/form-data; boundary=x',
  ''
);

// JSON-ish content types whose malformed bodies functions-framework's body parser refuses before our handler.
export function parsedByFramework(type: string): boolean {
  return /json|x-www-form-urlencoded|charset=utf-16|^text\//.test(type);
}
