import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { status } from '@grpc/grpc-js';
import { SigningError } from '../../shared/core/errors.js';
import { KmsRestClient } from '../../shared/signers/kms-rest-client.js';
import { KmsSigner } from '../../shared/signers/kms-signer.js';
import type { KmsFault } from '../stand-ins/kms-server.js';
import {
  startKms,
  type KmsFixture,
  type KmsTransport,
} from './kms-stand-in.js';

const short = { baseDelayMs: 5, deadlineMs: 250 };

// The SigningError a sign ends in when every AsymmetricSign reply is `fault`, through one transport.
async function signFailure(fault: KmsFault, transport: KmsTransport) {
  let kms: KmsFixture | undefined;
  try {
    kms = await startKms(
      { fault: (m) => (m === 'AsymmetricSign' ? fault : undefined) },
      transport
    );
    const signer = await KmsSigner.create(kms.client, kms.server.ref, short);
    const err = await signer.sign(Buffer.from('data')).then(
      () => undefined,
      (e: unknown) => e
    );
    assert.ok(err instanceof SigningError, String(err));
    return {
      code: err.code,
      permanent: err.permanent,
      calls: kms.server.counters.asymmetricSign > 1 ? 'retried' : 'once',
    };
  } finally {
    await kms?.close();
  }
}

describe('KmsRestClient keeps the gRPC client’s error classes', () => {
  const codes = [
    status.INVALID_ARGUMENT,
    status.NOT_FOUND,
    status.PERMISSION_DENIED,
    status.RESOURCE_EXHAUSTED,
    status.FAILED_PRECONDITION,
    status.INTERNAL,
    status.UNAVAILABLE,
    status.UNAUTHENTICATED,
  ];
  for (const code of codes) {
    it(`${status[code]}: same SigningError code, permanence and retrying over REST as over gRPC`, async () => {
      const grpc = await signFailure({ code }, 'gRPC');
      const rest = await signFailure({ code }, 'REST');
      assert.deepEqual(rest, grpc);
    });
  }

  it('a reply later than the deadline is a transient KMS_SIGN_FAILED (DEADLINE_EXCEEDED), as over gRPC', async () => {
    const started = Date.now();
    const rest = await signFailure({ delayMs: 1000 }, 'REST');
    assert.ok(
      Date.now() - started < 900,
      'the deadline, not the reply, ended it'
    );
    assert.deepEqual(rest, await signFailure({ delayMs: 1000 }, 'gRPC'));
    assert.deepEqual(rest, {
      code: 'KMS_SIGN_FAILED',
      permanent: false,
      calls: 'once',
    });
  });

  it('a refused connection is UNAVAILABLE (transient), and a non-JSON 502 too', async () => {
    const failure = (base: string) =>
      new KmsRestClient(base)
        .getPublicKey({ name: 'projects/p/x' }, { retry: null, timeout: 500 })
        .then(
          () => undefined,
          (e: unknown) => (e as { code?: number }).code
        );
    assert.equal(await failure('http://127.0.0.1:9'), status.UNAVAILABLE);
    const proxy = http.createServer((_, res) =>
      res.writeHead(502).end('Bad Gateway')
    );
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const { port } = proxy.address() as AddressInfo;
      assert.equal(
        await failure(`http://127.0.0.1:${port}`),
        status.UNAVAILABLE
      );
    } finally {
      proxy.closeAllConnections();
      proxy.close();
    }
  });
});
