// signEvent through functions-framework: byte-exact bodies, unauthenticated mode, malformed requests, storage failures.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { decodeEventBody } from '../../shared/core/trigger-event.js';
import { createStore } from '../../shared/stores/create-store.js';
import { githubSignature } from '../../shared/webhook-auth.js';
import { startGcsServer } from '../stand-ins/gcs-server.js';
import {
  files,
  interceptorRequest,
  SECRET,
  serve,
  sha256,
  statementOf,
  useTempFsStore,
} from './sign-event-harness.js';

process.env.METADATA_SERVER_DETECTION = 'none';

describe('functions/sign-event', () => {
  const tmp = useTempFsStore();

  it('table: form-encoded and non-ASCII bodies round-trip byte-exact', async () => {
    const { post } = serve(tmp.store);
    const cases: [string, string][] = [
      ['form', 'payload=%7B%22ref%22%3A%22refs%2Fheads%2Fmain%22%7D&x=a+b'],
      ['latin-1 chars', 'caf\u00e9 \u00ff'],
      ['emoji + crlf + nul', '{"m":"ok 😀"}\r\n\u0000'],
      ['lone surrogate', '{"m":"\ud83d"}'],
    ];
    for (const [i, [name, text]] of cases.entries()) {
      const req = interceptorRequest(text, `body-${i}`);
      if (name === 'form')
        req.header['Content-Type'] = ['application/x-www-form-urlencoded'];
      const res = await post(req);
      assert.equal(res.continue, true, name);
      const bytes = Buffer.from(text, 'utf8');
      const stored = await readFile(
        join(tmp.dir, `events/body-${i}/event.dsse.json`)
      );
      const st = statementOf(stored);
      const back = decodeEventBody(st.predicate.body);
      assert.ok(back.equals(bytes), name);
      assert.equal(sha256(back), st.subject[0].digest['sha256'], name);
      assert.equal(
        res.extensions?.provenance['eventDigest'],
        `sha256:${sha256(bytes)}`
      );
    }
  });

  it('refuses a body Go replaced with U+FFFD (HMAC was over other bytes): nothing signed', async () => {
    const { post } = serve(tmp.store);
    const original = Buffer.from([0x63, 0x61, 0x66, 0xe9]);
    const res = await post(
      interceptorRequest(
        'caf\ufffd',
        'latin1-1',
        githubSignature(original, SECRET)
      )
    );
    assert.equal(res.status.code, 9);
    assert.equal((await files(tmp.dir)).size, 0);
  });

  it('without a secret: refused unless ALLOW_UNAUTHENTICATED_WEBHOOKS, then recorded as unauthenticated', async () => {
    const strict = serve(tmp.store, { webhookSecret: undefined });
    const refused = await strict.post(
      interceptorRequest('{}', 'nosecret-1', null)
    );
    assert.equal(refused.continue, false);
    assert.equal(refused.status.code, 9);
    assert.match(refused.status.message, /WEBHOOK_SECRET/);
    assert.equal((await files(tmp.dir)).size, 0);
    const local = serve(tmp.store, { webhookSecret: undefined, allow: true });
    const ok = await local.post(interceptorRequest('{}', 'nosecret-1', null));
    assert.equal(ok.continue, true);
    const st = statementOf(
      await readFile(join(tmp.dir, 'events/nosecret-1/event.dsse.json'))
    );
    assert.deepEqual(st.predicate.authentication, {
      method: 'none',
      result: 'unauthenticated-local',
    });
  });

  it('table: bad shapes → HTTP 200, continue false, code 3, nothing stored', async () => {
    const { post, name } = serve(tmp.store, { maxBodyBytes: 2048 });
    const good = interceptorRequest('{}', 'shape-1');
    const cases: [string, unknown][] = [
      ['array', [good]],
      ['body not a string', { ...good, body: { a: 1 } }],
      ['no context', { ...good, context: undefined }],
      ['no event id', { ...good, context: { trigger_id: 'x' } }],
      ['traversal id', { ...good, context: { event_id: '../../etc' } }],
      ['header array', { ...good, header: ['a'] }],
      [
        'trigger id number',
        { ...good, context: { event_id: 'a1', trigger_id: 7 } },
      ],
      ['params array', { ...good, interceptor_params: [] }],
      ['too large', interceptorRequest('x'.repeat(4096), 'big-1')],
    ];
    for (const [name, body] of cases) {
      const res = await post(body);
      assert.equal(res.continue, false, name);
      assert.equal(res.status.code, 3, name);
    }
    const text = await request(getTestServer(name))
      .post('/')
      .set('Content-Type', 'text/plain')
      .send('not json');
    assert.equal(text.status, 200);
    assert.equal((text.body as { status: { code: number } }).status.code, 3);
    assert.equal((await files(tmp.dir)).size, 0);
  });

  it('storage failing (GCS stand-in 503) → code 14, nothing stored; then succeeds', async () => {
    let failing = true;
    const gcs = await startGcsServer({
      fault: () => (failing ? { status: 503 } : undefined),
    });
    try {
      const gstore = await createStore('gs://events-bucket', {
        apiEndpoint: gcs.url,
        deadlineMs: 300,
        baseDelayMs: 10,
      });
      const { post, logger } = serve(gstore);
      const req = interceptorRequest('{"a":1}', 'flaky-1');
      const res = await post(req);
      assert.equal(res.continue, false);
      assert.equal(res.status.code, 14);
      assert.equal(gcs.objects.size, 0);
      assert.ok(logger.entries.some((e) => e.severity === 'ERROR'));
      failing = false;
      assert.equal((await post(req)).continue, true);
      // events/…, sha256/… and the two deliveries/ markers (body digest, delivery id).
      assert.equal(gcs.objects.size, 4);
    } finally {
      await gcs.close();
    }
  });
});
