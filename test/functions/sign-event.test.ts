import assert from 'node:assert/strict';
import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  verify,
} from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { http } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { makeSignEvent } from '../../functions/sign-event.js';
import {
  decodePayload,
  parseEnvelope,
  preAuthEncoding,
  verifyEnvelope,
} from '../../shared/core/dsse.js';
import {
  decodeEventBody,
  type TriggerEventStatement,
} from '../../shared/core/trigger-event.js';
import { createMemoryLogger } from '../../shared/log.js';
import { LocalKeySigner } from '../../shared/signers/local-key-signer.js';
import type { AttestationStore } from '../../shared/stores/store.js';
import { FsStore } from '../../shared/stores/fs-store.js';
import { createStore } from '../../shared/stores/create-store.js';
import { githubSignature } from '../../shared/webhook-auth.js';
import { startGcsServer } from '../stand-ins/gcs-server.js';

process.env.METADATA_SERVER_DETECTION = 'none';
// Tests run from the repository root (npm test, or mocha on the .ts files).
const examples = (name: string) =>
  readFile(join(process.cwd(), 'examples/triggers', name));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const SECRET = 'it-is-a-secret-4f1e9a';
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signer = LocalKeySigner.fromPem(
  privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
);

type Req = Record<string, unknown> & { header: Record<string, string[]> };
let n = 0;
function serve(
  store: AttestationStore,
  over: {
    webhookSecret?: string | undefined;
    allow?: boolean;
    maxBodyBytes?: number;
  } = {}
) {
  const name = `signEventTest${++n}`;
  const logger = createMemoryLogger();
  http(
    name,
    makeSignEvent({
      signer: () => Promise.resolve(signer),
      store: () => Promise.resolve(store),
      webhookSecret: 'webhookSecret' in over ? over.webhookSecret : SECRET,
      allowUnauthenticatedWebhooks: over.allow ?? false,
      maxBodyBytes: over.maxBodyBytes ?? 1024 * 1024,
      now: () => new Date('2025-05-01T10:00:00Z'),
      logger,
    })
  );
  const server = getTestServer(name);
  return {
    logger,
    post: async (body: unknown) => {
      const res = await request(server)
        .post('/')
        .send(body as object);
      assert.equal(res.status, 200);
      return res.body as {
        continue: boolean;
        status: { code: number; message: string };
        extensions?: { provenance: Record<string, string> };
      };
    },
  };
}

function interceptorRequest(
  body: string,
  eventId = 'e1a2b3c4-0000-4000-8000-000000000001',
  signature: string | null = githubSignature(Buffer.from(body), SECRET)
): Req {
  return {
    body,
    header: {
      'Content-Type': ['application/json'],
      'X-Github-Event': ['push'],
      'X-Github-Delivery': ['d-1'],
      ...(signature === null ? {} : { 'X-Hub-Signature-256': [signature] }),
    },
    extensions: {},
    interceptor_params: {},
    context: {
      event_url: '/',
      event_id: eventId,
      trigger_id: 'namespaces/ci/triggers/github-push',
    },
  };
}

async function files(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const e of entries.filter((x) => x.isFile())) {
    const path = join(e.parentPath, e.name);
    out.set(relative(dir, path), await readFile(path));
  }
  return out;
}

function statementOf(bytes: Buffer): TriggerEventStatement {
  return JSON.parse(
    decodePayload(parseEnvelope(bytes)).toString('utf8')
  ) as TriggerEventStatement;
}

describe('functions/sign-event', () => {
  let dir: string;
  let store: FsStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sign-event-'));
    store = new FsStore(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('signs the shipped push event: continue, stored under both keys, verifiable, digest of the body', async () => {
    const body = await examples('push-event.json');
    const req = JSON.parse(
      (await examples('interceptor-request.json')).toString()
    ) as Req;
    const secret = (await examples('webhook-secret.txt')).toString().trim();
    const { post } = serve(store, { webhookSecret: secret });
    const res = await post(req);
    const eventId = '8c1d2f4e-6a3b-4c59-9e0d-7b2a1f6c3d84';
    const key = `events/${eventId}/event.dsse.json`;
    assert.deepEqual(res, {
      continue: true,
      status: { code: 0, message: `event ${eventId} signed` },
      extensions: {
        provenance: {
          eventId,
          eventDigest: `sha256:${sha256(body)}`,
          attestation: key,
        },
      },
    });
    const stored = await files(dir);
    const digestKey = `sha256/${sha256(body)}/event-${eventId}.dsse.json`;
    assert.deepEqual([...stored.keys()].sort(), [key, digestKey].sort());
    assert.ok(
      stored.get(key)?.equals(stored.get(digestKey) ?? Buffer.alloc(0))
    );
    const env = parseEnvelope(stored.get(key) ?? Buffer.alloc(0));
    assert.deepEqual(
      verifyEnvelope(env, [
        { keyid: signer.keyId, key: createPublicKey(signer.publicKeyPem) },
      ]),
      {
        ok: true,
        keyid: signer.keyId,
      }
    );
    // Independent check: PAE written out by hand, verified with node:crypto.
    const payload = Buffer.from(env.payload, 'base64');
    const pae = Buffer.concat([
      Buffer.from(`DSSEv1 28 application/vnd.in-toto+json ${payload.length} `),
      payload,
    ]);
    assert.ok(pae.equals(preAuthEncoding(env.payloadType, payload)));
    const sig = Buffer.from(env.signatures[0]?.sig ?? '', 'base64');
    assert.ok(verify('sha256', pae, signer.publicKeyPem, sig));
    const st = statementOf(stored.get(key) ?? Buffer.alloc(0));
    assert.equal(st.subject[0].digest['sha256'], sha256(body));
    assert.ok(decodeEventBody(st.predicate.body).equals(body));
    assert.deepEqual(st.predicate.authentication, {
      method: 'github-hmac-sha256',
      result: 'verified',
    });
    assert.deepEqual(st.predicate.eventListener, {
      namespace: 'ci',
      name: 'github-push',
      url: '/',
    });
    assert.equal(st.predicate.headers['X-GitHub-Event'], 'push');
  });

  it('table: wrong, missing or malformed signatures → continue false, code 9, nothing stored', async () => {
    const { post } = serve(store);
    const body = '{"ref":"refs/heads/main"}';
    const good = githubSignature(Buffer.from(body), SECRET);
    const cases: [string, string | null, string][] = [
      [
        'other secret',
        githubSignature(Buffer.from(body), 'nope'),
        'WEBHOOK_SIGNATURE_INVALID',
      ],
      [
        'other body',
        githubSignature(Buffer.from(`${body} `), SECRET),
        'WEBHOOK_SIGNATURE_INVALID',
      ],
      ['missing', null, 'WEBHOOK_SIGNATURE_MISSING'],
      ['empty', '', 'WEBHOOK_SIGNATURE_MISSING'],
      ['sha1 form', `sha1=${'0'.repeat(40)}`, 'WEBHOOK_SIGNATURE_INVALID'],
      ['no prefix', good.slice('sha256='.length), 'WEBHOOK_SIGNATURE_INVALID'],
      ['short', good.slice(0, -2), 'WEBHOOK_SIGNATURE_INVALID'],
      ['long', `${good}00`, 'WEBHOOK_SIGNATURE_INVALID'],
      ['not hex', `sha256=${'z'.repeat(64)}`, 'WEBHOOK_SIGNATURE_INVALID'],
    ];
    for (const [name, signature, code] of cases) {
      const res = await post(interceptorRequest(body, undefined, signature));
      assert.equal(res.continue, false, name);
      assert.equal(res.status.code, 9, name);
      assert.match(res.status.message, new RegExp(`^${code}: `), name);
      assert.equal(res.extensions, undefined, name);
    }
    assert.equal((await files(dir)).size, 0);
  });

  it('accepts an upper-case hex signature and a lower-case header name', async () => {
    const { post } = serve(store);
    const body = '{"a":1}';
    const req = interceptorRequest(body, 'upper-1', null);
    req.header['x-hub-signature-256'] = [
      githubSignature(Buffer.from(body), SECRET)
        .toUpperCase()
        .replace('SHA256=', 'sha256='),
    ];
    assert.equal((await post(req)).continue, true);
  });

  it('same event id from several triggers (and in parallel) → one attestation, bytes unchanged', async () => {
    const { post } = serve(store);
    const body = '{"ref":"refs/heads/main","after":"abc"}';
    const first = await post(interceptorRequest(body, 'dup-1'));
    const before = await files(dir);
    const again = interceptorRequest(body, 'dup-1');
    (again['context'] as Record<string, string>)['trigger_id'] =
      'namespaces/ci/triggers/other';
    const results = await Promise.all(
      Array.from({ length: 8 }, () => post(again))
    );
    for (const r of results) assert.deepEqual(r, first);
    assert.deepEqual(await files(dir), before);
    assert.equal(before.size, 2);
    const parallel = await Promise.all(
      Array.from({ length: 8 }, () => post(interceptorRequest(body, 'race-1')))
    );
    for (const r of parallel) assert.equal(r.continue, true);
    const raced = [...(await files(dir))].filter(([k]) => k.includes('race-1'));
    assert.equal(raced.length, 2);
    assert.ok(raced[0]?.[1].equals(raced[1]?.[1] ?? Buffer.alloc(0)));
  });

  it('refuses a second, different payload under an attested event id (code 3)', async () => {
    const { post } = serve(store);
    assert.equal(
      (await post(interceptorRequest('{"a":1}', 'same-id'))).continue,
      true
    );
    const before = await files(dir);
    const res = await post(interceptorRequest('{"a":2}', 'same-id'));
    assert.equal(res.continue, false);
    assert.equal(res.status.code, 3);
    assert.deepEqual(await files(dir), before);
  });

  it('never stores secrets, signatures or disallowed headers (every stored byte scanned)', async () => {
    const { post } = serve(store);
    const body = '{"x":"y"}';
    const req = interceptorRequest(body, 'scan-1');
    const signature = req.header['X-Hub-Signature-256']?.[0] ?? '';
    Object.assign(req.header, {
      Authorization: [`Bearer tok-${SECRET}`],
      Cookie: ['session=cookie-value-77'],
      'X-Hub-Signature': ['sha1=1111111111111111111111111111111111111111'],
      'X-Api-Key': ['key-value-88'],
      'Proxy-Authorization': ['Basic cHJveHk='],
    });
    assert.equal((await post(req)).continue, true);
    const banned = [
      SECRET,
      signature,
      signature.slice(7),
      'cookie-value-77',
      'key-value-88',
      'Authorization',
      'Cookie',
      'X-Hub-Signature',
      'X-Api-Key',
      'cHJveHk=',
      '1111111111',
    ];
    for (const [key, bytes] of await files(dir)) {
      const views = [bytes, decodePayload(parseEnvelope(bytes))];
      for (const view of views) {
        for (const word of banned) {
          assert.ok(
            !view.toString('latin1').includes(word),
            `${key} contains ${word}`
          );
        }
      }
    }
  });

  it('table: form-encoded and non-ASCII bodies round-trip byte-exact', async () => {
    const { post } = serve(store);
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
        join(dir, `events/body-${i}/event.dsse.json`)
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
    const { post } = serve(store);
    const original = Buffer.from([0x63, 0x61, 0x66, 0xe9]);
    const res = await post(
      interceptorRequest(
        'caf\ufffd',
        'latin1-1',
        githubSignature(original, SECRET)
      )
    );
    assert.equal(res.status.code, 9);
    assert.equal((await files(dir)).size, 0);
  });

  it('without a secret: refused unless ALLOW_UNAUTHENTICATED_WEBHOOKS, then recorded as unauthenticated', async () => {
    const strict = serve(store, { webhookSecret: undefined });
    const refused = await strict.post(
      interceptorRequest('{}', 'nosecret-1', null)
    );
    assert.equal(refused.continue, false);
    assert.equal(refused.status.code, 9);
    assert.match(refused.status.message, /WEBHOOK_SECRET/);
    assert.equal((await files(dir)).size, 0);
    const local = serve(store, { webhookSecret: undefined, allow: true });
    const ok = await local.post(interceptorRequest('{}', 'nosecret-1', null));
    assert.equal(ok.continue, true);
    const st = statementOf(
      await readFile(join(dir, 'events/nosecret-1/event.dsse.json'))
    );
    assert.deepEqual(st.predicate.authentication, {
      method: 'none',
      result: 'unauthenticated-local',
    });
  });

  it('table: bad shapes → HTTP 200, continue false, code 3, nothing stored', async () => {
    const { post } = serve(store, { maxBodyBytes: 2048 });
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
    const text = await request(getTestServer(`signEventTest${n}`))
      .post('/')
      .set('Content-Type', 'text/plain')
      .send('not json');
    assert.equal(text.status, 200);
    assert.equal((text.body as { status: { code: number } }).status.code, 3);
    assert.equal((await files(dir)).size, 0);
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
      assert.equal(gcs.objects.size, 2);
    } finally {
      await gcs.close();
    }
  });
});
