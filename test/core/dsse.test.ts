import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodePayload,
  makeEnvelope,
  MAX_ENVELOPE_BYTES,
  parseEnvelope,
  preAuthEncoding,
  publicKeyEntry,
  serializeEnvelope,
  sshKeyId,
  verifyEnvelope,
} from '../../shared/core/dsse.js';
import { VerificationError } from '../../shared/core/errors.js';

const TYPE = 'application/vnd.in-toto+json';

function p256() {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

function signed(body: string, key = p256(), keyid?: string) {
  const bytes = Buffer.from(body);
  const sig = sign('sha256', preAuthEncoding(TYPE, bytes), key.privateKey);
  const id = keyid ?? sshKeyId(key.publicKey);
  return { env: makeEnvelope(TYPE, bytes, id, sig), key };
}

function hasSshKeygen(): boolean {
  try {
    execFileSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
  } catch (err) {
    return (err as { status?: number }).status !== undefined;
  }
  return true;
}

describe('dsse', () => {
  it('writes the PAE as the DSSE spec test vector', () => {
    const pae = preAuthEncoding(
      'http://example.com/HelloWorld',
      Buffer.from('hello world')
    );
    assert.equal(
      pae.toString(),
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world'
    );
    const utf8 = preAuthEncoding('t', Buffer.from('é'));
    assert.deepEqual(utf8, Buffer.from('DSSEv1 1 t 2 é'));
  });

  it('round-trips envelopes through the stored bytes', () => {
    const { env } = signed('{"a":1}');
    const bytes = serializeEnvelope(env);
    assert.equal(bytes.at(-1), 0x0a);
    assert.deepEqual(Object.keys(JSON.parse(bytes.toString())), [
      'payloadType',
      'payload',
      'signatures',
    ]);
    const back = parseEnvelope(bytes);
    assert.deepEqual(back, env);
    assert.equal(decodePayload(back).toString(), '{"a":1}');
  });

  // makeEnvelope's own payload is spliced in unscanned: the bytes must be exactly JSON.stringify's, for any
  // type or keyid, and an envelope whose payload was replaced afterwards must take the general path.
  it('stores a made envelope as the same bytes as its JSON copy', () => {
    const body = Buffer.from('{"quote":"\\"é\\u2028"}');
    const sig = Buffer.from([0xff, 0xfe, 0x00]);
    const made = makeEnvelope('a/"b"\u2028é', body, 'key "1"\n', sig);
    const copy = JSON.parse(JSON.stringify(made)) as typeof made;
    const expected = Buffer.from(`${JSON.stringify(copy)}\n`);
    assert.deepEqual(serializeEnvelope(made), expected);
    assert.deepEqual(serializeEnvelope(copy), expected);
    made.payload = '"}]}';
    assert.equal(
      (JSON.parse(serializeEnvelope(made).toString()) as typeof made).payload,
      '"}]}'
    );
  });

  const bad: [string, string][] = [
    ['invalid JSON', '{'],
    ['an array', '[]'],
    ['no payloadType', '{"payload":"","signatures":[{"sig":"AA=="}]}'],
    [
      'url-safe payload',
      '{"payloadType":"t","payload":"-_8=","signatures":[{"sig":"AA=="}]}',
    ],
    [
      'unpadded payload',
      '{"payloadType":"t","payload":"YQ","signatures":[{"sig":"AA=="}]}',
    ],
    ['no signatures', '{"payloadType":"t","payload":"","signatures":[]}'],
    ['empty sig', '{"payloadType":"t","payload":"","signatures":[{"sig":""}]}'],
    [
      'numeric keyid',
      '{"payloadType":"t","payload":"","signatures":[{"keyid":1,"sig":"AA=="}]}',
    ],
    ['null signature', '{"payloadType":"t","payload":"","signatures":[null]}'],
  ];
  for (const [name, text] of bad) {
    it(`refuses an envelope with ${name}`, () => {
      assert.throws(
        () => parseEnvelope(text),
        (err: unknown) =>
          err instanceof VerificationError && err.code === 'SIGNATURE_INVALID'
      );
    });
  }

  it('refuses oversized input before parsing and defaults a missing keyid', () => {
    assert.throws(
      () => parseEnvelope(Buffer.alloc(MAX_ENVELOPE_BYTES + 1, 0x20)),
      /too large/
    );
    const env = parseEnvelope(
      '{"payloadType":"t","payload":"YQ==","signatures":[{"sig":"AA=="}],"x":1}'
    );
    assert.deepEqual(env.signatures, [{ keyid: '', sig: 'AA==' }]);
  });

  it('computes the Chains keyid like ssh-keygen does', function () {
    if (!hasSshKeygen()) return this.skip();
    const dir = mkdtempSync(join(tmpdir(), 'keyid-'));
    try {
      for (const pair of [
        p256(),
        generateKeyPairSync('rsa', { modulusLength: 1024 }),
      ]) {
        const pem = pair.publicKey.export({ type: 'spki', format: 'pem' });
        writeFileSync(join(dir, 'pub.pem'), pem);
        const line = execFileSync('ssh-keygen', [
          '-i',
          '-m',
          'PKCS8',
          '-f',
          join(dir, 'pub.pem'),
        ]);
        writeFileSync(join(dir, 'key.pub'), line);
        const out = execFileSync('ssh-keygen', [
          '-l',
          '-E',
          'sha256',
          '-f',
          join(dir, 'key.pub'),
        ]).toString();
        assert.equal(out.split(' ')[1], sshKeyId(pem.toString()));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds the ed25519 fingerprint from the RFC 8709 wire key', () => {
    const pair = generateKeyPairSync('ed25519');
    const raw = Buffer.from(
      pair.publicKey.export({ format: 'jwk' }).x ?? '',
      'base64url'
    );
    const wire = Buffer.concat([
      Buffer.from([0, 0, 0, 11]),
      Buffer.from('ssh-ed25519'),
      Buffer.from([0, 0, 0, 32]),
      raw,
    ]);
    const sum = createHash('sha256').update(wire).digest('base64');
    assert.equal(sshKeyId(pair.privateKey), `SHA256:${sum.slice(0, 43)}`);
    assert.equal(
      publicKeyEntry(pair.publicKey).keyid,
      sshKeyId(pair.publicKey)
    );
  });

  it('verifies with the named key, and with another key after rotation', () => {
    const old = p256();
    const { env, key } = signed('{"x":1}');
    const result = verifyEnvelope(env, [
      publicKeyEntry(old.publicKey),
      publicKeyEntry(key.publicKey),
    ]);
    assert.deepEqual(result, { ok: true, keyid: sshKeyId(key.publicKey) });
    const renamed = {
      ...publicKeyEntry(key.publicKey),
      keyid: 'pinned-by-user',
    };
    const stale = signed('{"x":2}', key, 'unknown-keyid').env;
    assert.deepEqual(verifyEnvelope(stale, [renamed]), {
      ok: true,
      keyid: 'pinned-by-user',
    });
  });

  it('fails a tampered payload, a wrong key and a garbage signature', () => {
    const { env, key } = signed('{"x":1}');
    const keys = [publicKeyEntry(key.publicKey)];
    const tampered = {
      ...env,
      payload: Buffer.from('{"x":2}').toString('base64'),
    };
    assert.deepEqual(verifyEnvelope(tampered, keys), { ok: false });
    assert.deepEqual(
      verifyEnvelope({ ...env, payloadType: 'text/plain' }, keys),
      { ok: false }
    );
    assert.deepEqual(verifyEnvelope(env, [publicKeyEntry(p256().publicKey)]), {
      ok: false,
    });
    const garbage = { ...env, signatures: [{ keyid: '', sig: 'AAAA' }] };
    assert.deepEqual(verifyEnvelope(garbage, keys), { ok: false });
  });
});
