import assert from 'node:assert/strict';
import { verify } from 'node:crypto';
import { loadConfig } from '../../shared/config.js';
import { createSigner } from '../../shared/signers/create-signer.js';
import { startKmsServer, type KmsServer } from '../stand-ins/kms-server.js';

describe('KMS_ENDPOINT (benchmark children reach the KMS stand-in, gRPC or REST)', function () {
  let kms: KmsServer;
  before(async () => {
    kms = await startKmsServer();
  });
  after(() => kms.close());

  it('is read as host:port and refused otherwise', () => {
    const env = { RUN_SOURCE: 'event' };
    assert.equal(
      loadConfig({ ...env, KMS_ENDPOINT: '127.0.0.1:9' }).kmsEndpoint,
      '127.0.0.1:9'
    );
    assert.equal(
      loadConfig({ ...env, KMS_ENDPOINT: 'http://127.0.0.1:9' }).kmsEndpoint,
      'http://127.0.0.1:9'
    );
    assert.equal(loadConfig(env).kmsEndpoint, undefined);
    assert.throws(
      () => loadConfig({ ...env, KMS_ENDPOINT: 'http://x' }),
      /KMS_ENDPOINT: expected host:port/
    );
  });

  it('signs through the real client over a plaintext channel, digest only', async () => {
    const signer = await createSigner(kms.ref, {
      kmsEndpoint: `127.0.0.1:${kms.port}`,
    });
    const data = Buffer.from('payload bytes');
    const sig = await signer.sign(data);
    assert.ok(verify('sha256', data, kms.publicKeyPem(), sig));
    assert.equal(kms.counters.asymmetricSign, 1);
    assert.equal(kms.counters.dataReceived, 0);
  });

  it('signs through the REST client (the production transport) over plain HTTP, digest only', async () => {
    const before = kms.counters.asymmetricSign;
    const signer = await createSigner(kms.ref, { kmsEndpoint: kms.restUrl });
    const data = Buffer.from('payload bytes');
    assert.ok(
      verify('sha256', data, kms.publicKeyPem(), await signer.sign(data))
    );
    assert.equal(kms.counters.asymmetricSign, before + 1);
    assert.equal(kms.counters.dataReceived, 0);
  });
});
