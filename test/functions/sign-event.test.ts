// signEvent through functions-framework: signing, storage under both keys, HMAC checks, idempotency, no secrets stored.
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import {
  decodePayload,
  parseEnvelope,
  preAuthEncoding,
  verifyEnvelope,
} from '../../shared/core/dsse.js';
import { decodeEventBody } from '../../shared/core/trigger-event.js';
import { githubSignature } from '../../shared/webhook-auth.js';
import {
  examples,
  files,
  interceptorRequest,
  SECRET,
  serve,
  sha256,
  signer,
  statementOf,
  type Req,
  useTempFsStore,
} from './sign-event-harness.js';

process.env.METADATA_SERVER_DETECTION = 'none';

describe('functions/sign-event', () => {
  const tmp = useTempFsStore();

  it('signs the shipped push event: continue, stored under both keys, verifiable, digest of the body', async () => {
    const body = await examples('push-event.json');
    const req = JSON.parse(
      (await examples('interceptor-request.json')).toString()
    ) as Req;
    const secret = (await examples('webhook-secret.txt')).toString().trim();
    const { post } = serve(tmp.store, { webhookSecret: secret });
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
    const stored = await files(tmp.dir);
    const digestKey = `sha256/${sha256(body)}/event-${eventId}.dsse.json`;
    const markers = [
      `deliveries/sha256/${sha256(body)}.dsse.json`,
      'deliveries/c0ffee00-47a1-11f1-8b6a-5f3c2a1b0d9e.dsse.json',
    ];
    assert.deepEqual(
      [...stored.keys()].sort(),
      [key, digestKey, ...markers].sort()
    );
    // The replay markers and both event keys hold the same envelope.
    for (const k of [digestKey, ...markers])
      assert.ok(stored.get(key)?.equals(stored.get(k) ?? Buffer.alloc(0)), k);
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
    const { post } = serve(tmp.store);
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
    assert.equal((await files(tmp.dir)).size, 0);
  });

  it('accepts an upper-case hex signature and a lower-case header name', async () => {
    const { post } = serve(tmp.store);
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
    const { post } = serve(tmp.store);
    const body = '{"ref":"refs/heads/main","after":"abc"}';
    const first = await post(interceptorRequest(body, 'dup-1'));
    const before = await files(tmp.dir);
    const again = interceptorRequest(body, 'dup-1');
    (again['context'] as Record<string, string>)['trigger_id'] =
      'namespaces/ci/triggers/other';
    const results = await Promise.all(
      Array.from({ length: 8 }, () => post(again))
    );
    for (const r of results) assert.deepEqual(r, first);
    assert.deepEqual(await files(tmp.dir), before);
    assert.equal(before.size, 4);
    const other = '{"ref":"refs/heads/main","after":"def"}';
    const parallel = await Promise.all(
      Array.from({ length: 8 }, () => post(interceptorRequest(other, 'race-1')))
    );
    for (const r of parallel) assert.equal(r.continue, true);
    const raced = [...(await files(tmp.dir))].filter(
      ([k]) => k.includes('race-1') || k.includes(sha256(Buffer.from(other)))
    );
    assert.equal(raced.length, 4);
    assert.ok(raced[0]?.[1].equals(raced[1]?.[1] ?? Buffer.alloc(0)));
  });

  it('refuses a second, different payload under an attested event id (code 3)', async () => {
    const { post } = serve(tmp.store);
    assert.equal(
      (await post(interceptorRequest('{"a":1}', 'same-id'))).continue,
      true
    );
    const before = await files(tmp.dir);
    const res = await post(interceptorRequest('{"a":2}', 'same-id'));
    assert.equal(res.continue, false);
    assert.equal(res.status.code, 3);
    assert.deepEqual(await files(tmp.dir), before);
  });

  it('never stores secrets, signatures or disallowed headers (every stored byte scanned)', async () => {
    const { post } = serve(tmp.store);
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
    for (const [key, bytes] of await files(tmp.dir)) {
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
});
