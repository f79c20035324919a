import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  INTOTO_STATEMENT_V1,
  TRIGGER_EVENT_PREDICATE_V1,
} from '../../shared/core/formats.js';
import { allowedHeaders } from '../../shared/core/event-headers.js';
import {
  buildTriggerEventStatement,
  decodeEventBody,
  encodeBody,
  parseEventListener,
  parseTriggerEventStatement,
  type TriggerEventInput,
} from '../../shared/core/trigger-event.js';
import { EventError } from '../../shared/core/errors.js';

const EVENT_ID = '6f1c2e0a-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const SECRET = 'not-in-any-byte-0123456789';

function input(body: Buffer, over: Partial<TriggerEventInput> = {}) {
  return {
    eventId: EVENT_ID,
    body,
    receivedAt: new Date('2025-05-01T10:00:00.123Z'),
    authentication: { method: 'github-hmac-sha256', result: 'verified' },
    triggerId: 'namespaces/ci/triggers/github-push',
    eventUrl: '/',
    headers: {
      'Content-Type': ['application/json'],
      'X-Github-Event': ['push'],
      'X-Github-Delivery': ['72d3162e-cc78-11e3-81ab-4c9367dc0958'],
      'X-Github-Hook-Id': ['292430182'],
      'X-Github-Hook-Installation-Target-Type': ['repository'],
      'X-Github-Hook-Installation-Target-Id': ['79929171'],
      'User-Agent': ['GitHub-Hookshot/044aadd'],
      'X-Hub-Signature-256': [`sha256=${'a'.repeat(64)}`],
      'X-Hub-Signature': ['sha1=deadbeef'],
      Authorization: [`Bearer ${SECRET}`],
      Cookie: [`session=${SECRET}`],
      'X-Webhook-Secret': [SECRET],
    },
    ...over,
  } satisfies TriggerEventInput;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('core/trigger-event', () => {
  it('builds an in-toto v1 statement whose subject is the sha256 of the exact body', () => {
    const body = Buffer.from('{"ref":"refs/heads/main","after":"abc"}\n');
    const { body: payload, statement } = buildTriggerEventStatement(
      input(body)
    );
    assert.deepEqual(JSON.parse(payload.toString('utf8')), statement);
    assert.equal(statement._type, INTOTO_STATEMENT_V1);
    assert.equal(statement.predicateType, TRIGGER_EVENT_PREDICATE_V1);
    assert.deepEqual(statement.subject, [
      { name: EVENT_ID, digest: { sha256: sha256(body) } },
    ]);
    const p = statement.predicate;
    assert.equal(p.eventId, EVENT_ID);
    assert.equal(p.triggerId, 'namespaces/ci/triggers/github-push');
    assert.deepEqual(p.eventListener, { namespace: 'ci', url: '/' });
    assert.equal(p.receivedAt, '2025-05-01T10:00:00.123Z');
    assert.deepEqual(p.authentication, {
      method: 'github-hmac-sha256',
      result: 'verified',
    });
    assert.deepEqual(p.body, { encoding: 'utf-8', content: body.toString() });
    assert.ok(decodeEventBody(p.body).equals(body));
  });

  it('keeps only allowlisted headers, in GitHub spelling, never secrets', () => {
    const { body, statement } = buildTriggerEventStatement(
      input(Buffer.from('{}'))
    );
    assert.deepEqual(statement.predicate.headers, {
      'Content-Type': 'application/json',
      'User-Agent': 'GitHub-Hookshot/044aadd',
      'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      'X-GitHub-Event': 'push',
      'X-GitHub-Hook-ID': '292430182',
      'X-GitHub-Hook-Installation-Target-ID': '79929171',
      'X-GitHub-Hook-Installation-Target-Type': 'repository',
    });
    const text = body.toString('utf8');
    for (const banned of [
      SECRET,
      'Authorization',
      'Cookie',
      'sha1=',
      'X-Hub',
    ]) {
      assert.ok(!text.includes(banned), `payload contains ${banned}`);
    }
  });

  it('table: bodies round-trip byte-exact, base64 whenever UTF-8 would not', () => {
    const cases: [string, Buffer, 'utf-8' | 'base64'][] = [
      ['json', Buffer.from('{"a":"é ✓ 😀"}'), 'utf-8'],
      ['form', Buffer.from('payload=%7B%22a%22%3A1%7D&x=y+z'), 'utf-8'],
      ['empty', Buffer.alloc(0), 'utf-8'],
      ['crlf + nul', Buffer.from('a\r\nb\u0000c'), 'utf-8'],
      ['bom', Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), 'utf-8'],
      ['latin-1', Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'base64'],
      ['lone surrogate', Buffer.from([0xed, 0xa0, 0x80]), 'base64'],
      ['overlong', Buffer.from([0xc0, 0xaf]), 'base64'],
      ['truncated', Buffer.from([0xe2, 0x82]), 'base64'],
    ];
    for (const [name, bytes, encoding] of cases) {
      const { body } = buildTriggerEventStatement(input(bytes));
      const parsed = parseTriggerEventStatement(body);
      assert.equal(parsed.predicate.body.encoding, encoding, name);
      const back = decodeEventBody(parsed.predicate.body);
      assert.ok(back.equals(bytes), name);
      assert.equal(sha256(back), parsed.subject[0].digest['sha256'], name);
    }
  });

  it('is deterministic for the same input', () => {
    const a = buildTriggerEventStatement(input(Buffer.from('{"x":1}')));
    const b = buildTriggerEventStatement(input(Buffer.from('{"x":1}')));
    assert.ok(a.body.equals(b.body));
  });

  it('records unauthenticated local events as such', () => {
    const { statement } = buildTriggerEventStatement(
      input(Buffer.from('{}'), {
        authentication: { method: 'none', result: 'unauthenticated-local' },
      })
    );
    assert.deepEqual(statement.predicate.authentication, {
      method: 'none',
      result: 'unauthenticated-local',
    });
  });

  it('table: finds the EventListener from trigger_id, event_url and params', () => {
    const cases: [Parameters<typeof parseEventListener>[0], object][] = [
      [{ triggerId: 'namespaces/ci/triggerGroups/g' }, { namespace: 'ci' }],
      [{ triggerId: 'bogus' }, {}],
      [
        { eventUrl: 'http://el-github-listener.ci.svc.cluster.local:8080/' },
        {
          name: 'github-listener',
          namespace: 'ci',
          url: 'http://el-github-listener.ci.svc.cluster.local:8080/',
        },
      ],
      [
        { triggerId: 'namespaces/a/triggers/t', eventUrl: 'http://el-x:80/' },
        { namespace: 'a', name: 'x', url: 'http://el-x:80/' },
      ],
      [
        { triggerId: 'namespaces/a/triggers/t', eventListenerName: 'gh' },
        { namespace: 'a', name: 'gh' },
      ],
    ];
    for (const [given, expected] of cases) {
      assert.deepEqual(parseEventListener(given), expected);
    }
  });

  it('joins repeated header values and ignores non-string values', () => {
    assert.deepEqual(
      allowedHeaders({
        'user-agent': ['a', 'b'],
        'content-type': [],
        'X-GitHub-Event': 7,
        'X-Github-Hook-Installation-Target-Bad/Name': ['x'],
        'X-Github-Hook-Installation-Target-Kind': 'org',
      }),
      {
        'User-Agent': 'a, b',
        'X-GitHub-Hook-Installation-Target-Kind': 'org',
      }
    );
  });

  it('refuses an unknown body encoding', () => {
    assert.throws(
      () => decodeEventBody({ encoding: 'hex' as 'base64', content: '00' }),
      (e: unknown) => e instanceof EventError && e.code === 'EVENT_MALFORMED'
    );
    assert.deepEqual(encodeBody(Buffer.from('ok')), {
      encoding: 'utf-8',
      content: 'ok',
    });
  });

  it('parses its own payload back and refuses anything else', () => {
    const { body, statement } = buildTriggerEventStatement(
      input(Buffer.from('{}'))
    );
    assert.deepEqual(parseTriggerEventStatement(body), statement);
    const bad = [
      'not json',
      'null',
      '7',
      JSON.stringify({ ...statement, predicateType: 'https://x' }),
      JSON.stringify({
        ...statement,
        _type: 'https://in-toto.io/Statement/v0.1',
      }),
      JSON.stringify({ ...statement, subject: [] }),
      JSON.stringify({
        ...statement,
        subject: [statement.subject[0], statement.subject[0]],
      }),
      JSON.stringify({
        ...statement,
        subject: [{ name: 'x', digest: { sha256: 'ABC' } }],
      }),
    ];
    for (const text of bad) {
      assert.throws(
        () => parseTriggerEventStatement(Buffer.from(text)),
        (e: unknown) => e instanceof EventError && e.code === 'EVENT_MALFORMED',
        text
      );
    }
  });
});
