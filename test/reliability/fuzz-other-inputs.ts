// Generated requests for signEvent (InterceptorRequests, some correctly HMAC-signed) and reconcile (sweep bodies).
import fc from 'fast-check';
import { encodeCursor } from '../../shared/reconcile/sweep-cursor.js';
import { githubSignature } from '../../shared/webhook-auth.js';
import {
  contentType,
  damaged,
  deepJson,
  headerText,
  wrongValue,
} from './fuzz-common.js';
import type { Sent } from './harness.js';

export const FUZZ_SECRET = 'fuzz-webhook-secret-5b0c2e91';

const eventId = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,30}$/),
  },
  fc.constantFrom(
    '../x',
    'a/b',
    '..',
    '.',
    'x\u0000y',
    'é',
    'a'.repeat(300),
    '-x',
    ''
  ),
  wrongValue
);

const webhookBody = fc.oneof(
  { weight: 5, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 3, arbitrary: fc.string({ maxLength: 200 }) },
  fc.constant('x'.repeat(70_000)),
  deepJson,
  { weight: 2, arbitrary: wrongValue }
);

const signature = (body: unknown) =>
  fc.oneof(
    {
      weight: 2,
      arbitrary: fc.constant(
        typeof body === 'string'
          ? githubSignature(Buffer.from(body), FUZZ_SECRET)
          : 'sha256=00'
      ),
    },
    fc.constant(
      githubSignature(
        Buffer.from(typeof body === 'string' ? body : 'x'),
        'another-secret'
      )
    ),
    fc.constantFrom('sha256=', 'sha1=abc', 'SHA256=' + '0'.repeat(64), ''),
    headerText(80)
  );

const header = (body: unknown) =>
  fc
    .tuple(
      signature(body),
      fc.constantFrom(
        'X-Hub-Signature-256',
        'x-hub-signature-256',
        'X-Hub-Signature'
      ),
      fc.constantFrom('array', 'string', 'wrong', 'absent'),
      fc.dictionary(
        headerText(20),
        fc.array(headerText(20), { maxLength: 2 }),
        { maxKeys: 3 }
      )
    )
    .map(([sig, name, shape, extra]) => {
      if (shape === 'absent') return extra;
      const value =
        shape === 'array' ? [sig] : shape === 'string' ? sig : { sig };
      return { ...extra, [name]: value, 'X-GitHub-Event': ['push'] };
    });

const interceptorRequest = webhookBody.chain((body) =>
  fc.record(
    {
      body: fc.constant(body),
      header: fc.oneof({ weight: 5, arbitrary: header(body) }, wrongValue),
      interceptor_params: fc.oneof(
        fc.constant({ eventListener: 'github' }),
        wrongValue
      ),
      context: fc.oneof(
        {
          weight: 5,
          arbitrary: fc.record(
            {
              event_id: eventId,
              trigger_id: fc.oneof(fc.constant('ns/t'), wrongValue),
              event_url: fc.oneof(fc.webUrl(), wrongValue),
            },
            { requiredKeys: ['event_id'] }
          ),
        },
        wrongValue
      ),
    },
    { requiredKeys: [] }
  )
);

const json = (type: string, text: string): Sent => ({
  headers: type ? { 'content-type': type } : {},
  body: Buffer.from(text),
});

// Any request the interceptor may receive.
export const signEventRequest: fc.Arbitrary<Sent> = fc.oneof(
  {
    weight: 6,
    arbitrary: interceptorRequest.map((r) =>
      json('application/json', JSON.stringify(r))
    ),
  },
  fc
    .tuple(
      contentType,
      interceptorRequest.chain((r) => damaged(JSON.stringify(r)))
    )
    .map(([type, body]) => ({
      headers: type ? { 'content-type': type } : {},
      body,
    })),
  deepJson.map((deep) => json('application/json', deep)),
  fc
    .constantFrom('[]', 'null', '"x"', '{}', '{"body":1}')
    .map((t) => json('application/json', t))
);

const cursor = fc
  .record({
    since: fc.oneof(fc.integer(), wrongValue),
    namespaces: fc.oneof(fc.constant(['ci']), fc.constant([]), wrongValue),
    kind: fc.oneof(fc.nat(3), wrongValue),
    scope: fc.oneof(fc.nat(2), wrongValue),
    page: fc.oneof(fc.constant(undefined), headerText(20), wrongValue),
    offset: fc.oneof(fc.nat(5), wrongValue),
    limit: fc.oneof(fc.integer({ min: 1, max: 5 }), wrongValue),
  })
  .map((c) => encodeCursor(c as unknown as Parameters<typeof encodeCursor>[0]));

const sweepBody = fc.record(
  {
    window: fc.oneof(
      fc.constantFrom('6h', '90m', '2d', '0s', '-1h', '1y', '999999999d'),
      wrongValue
    ),
    namespaces: fc.oneof(
      fc.constant(['ci']),
      fc.constant(['ci', 'other']),
      fc.constant(['../x']),
      wrongValue
    ),
    continue: fc.oneof(cursor, headerText(40), wrongValue),
    [`extra`]: wrongValue,
  },
  { requiredKeys: [] }
);

// Any request the scheduled sweep may receive (other methods included).
export const reconcileRequest: fc.Arbitrary<Sent> = fc
  .tuple(
    fc.oneof(
      {
        weight: 5,
        arbitrary: sweepBody
          .map((b) => JSON.stringify(b))
          .chain((t) =>
            fc.oneof(
              { weight: 4, arbitrary: fc.constant(Buffer.from(t)) },
              damaged(t)
            )
          ),
      },
      fc.constantFrom('', '{}', '[]', 'null', '"x"').map((t) => Buffer.from(t)),
      deepJson.map((t) => Buffer.from(t))
    ),
    contentType,
    fc.constantFrom('POST', 'POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE')
  )
  .map(([body, type, method]) => ({
    method,
    headers: type ? { 'content-type': type } : {},
    body: method === 'GET' ? Buffer.alloc(0) : body,
  }));
