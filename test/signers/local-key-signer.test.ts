import assert from 'node:assert/strict';
import { generateKeyPairSync, verify } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sshKeyId } from '../../shared/core/dsse.js';
import { SigningError } from '../../shared/core/errors.js';
import { createSigner } from '../../shared/signers/create-signer.js';
import {
  generateLocalKey,
  LocalKeySigner,
} from '../../shared/signers/local-key-signer.js';

const invalid = (err: unknown) =>
  err instanceof SigningError && err.code === 'SIGNER_INVALID' && err.permanent;

function pem(
  type: 'ec' | 'rsa' | 'ed25519',
  curve = 'prime256v1',
  encoding: 'pkcs8' | 'sec1' = 'pkcs8',
  passphrase?: string
): string {
  const pair =
    type === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: curve })
      : type === 'rsa'
        ? generateKeyPairSync('rsa', { modulusLength: 1024 })
        : generateKeyPairSync('ed25519');
  return pair.privateKey
    .export({
      type: encoding,
      format: 'pem',
      ...(passphrase ? { cipher: 'aes-256-cbc', passphrase } : {}),
    })
    .toString();
}

describe('LocalKeySigner', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'local-key-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('signs DER ECDSA-SHA256 verifiable with its SPKI public key, keyid = SSH fingerprint', async () => {
    const signer = LocalKeySigner.fromPem(pem('ec'));
    const sig = await signer.sign(Buffer.from('pae bytes'));
    assert.equal(sig[0], 0x30);
    assert.ok(
      verify('sha256', Buffer.from('pae bytes'), signer.publicKeyPem, sig)
    );
    assert.equal(signer.keyId, sshKeyId(signer.publicKeyPem));
    assert.match(signer.publicKeyPem, /^-----BEGIN PUBLIC KEY-----/);
  });

  const refused: [string, () => string][] = [
    ['a SEC1 EC key', () => pem('ec', 'prime256v1', 'sec1')],
    ['a P-384 key', () => pem('ec', 'secp384r1')],
    ['an RSA key', () => pem('rsa')],
    ['an Ed25519 key', () => pem('ed25519')],
    ['an encrypted key', () => pem('ec', 'prime256v1', 'pkcs8', 'secret')],
    [
      'a public key',
      () =>
        generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
          .publicKey.export({ type: 'spki', format: 'pem' })
          .toString(),
    ],
    [
      'garbage inside the PKCS#8 armour',
      () => '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
    ],
  ];
  for (const [name, make] of refused) {
    it(`refuses ${name} with SIGNER_INVALID`, () => {
      assert.throws(() => LocalKeySigner.fromPem(make()), invalid);
    });
  }

  it('generateLocalKey writes a 0600 PKCS#8 key and its public key, and never overwrites', async () => {
    const key = await generateLocalKey(join(dir, 'keys'));
    assert.equal((await stat(key.privateKeyPath)).mode & 0o777, 0o600);
    assert.equal(key.privateKeyPath, join(dir, 'keys', 'signing.pem'));
    const signer = await LocalKeySigner.fromFile(key.privateKeyPath);
    assert.equal(
      signer.publicKeyPem,
      await readFile(key.publicKeyPath, 'utf8')
    );
    assert.equal(signer.keyId, key.keyId);
    await assert.rejects(generateLocalKey(join(dir, 'keys')), invalid);
    assert.equal(
      (await LocalKeySigner.fromFile(key.privateKeyPath)).keyId,
      key.keyId
    );
  });

  it('createSigner loads a relative path, generates only when asked, and reports missing files', async () => {
    await assert.rejects(
      createSigner('.keys/signing.pem', { cwd: dir }),
      invalid
    );
    const logs: string[] = [];
    const made = await createSigner('.keys/signing.pem', {
      cwd: dir,
      generateIfMissing: true,
      log: (m) => logs.push(m),
    });
    assert.match(logs.join(), /generated signing key/);
    const again = await createSigner(join(dir, '.keys/signing.pem'), {
      generateIfMissing: true,
    });
    assert.equal(again.keyId, made.keyId);
    await writeFile(join(dir, 'rsa.pem'), pem('rsa'));
    await assert.rejects(createSigner('rsa.pem', { cwd: dir }), invalid);
  });
});
