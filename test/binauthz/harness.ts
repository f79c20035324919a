// Shared set-up for the Binary Authorization suites: the Grafeas stand-in with the real GrafeasClient,
// signers, and an openssl check that shares no code with ours.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GrafeasClient } from '@google-cloud/grafeas';
import * as grpc from '@grpc/grpc-js';
import { AttestationError } from '../../shared/core/errors.js';
import {
  createGrafeasClient,
  type GrafeasHandle,
} from '../../shared/binauthz/index.js';
import { LocalKeySigner } from '../../shared/signers/local-key-signer.js';
import {
  startGrafeasServer,
  type GrafeasServer,
  type GrafeasServerOptions,
} from '../stand-ins/grafeas-server.js';

process.env['METADATA_SERVER_DETECTION'] = 'none';

export const NOTE = 'projects/attestor-project/notes/tekton-provenance';
export const IMAGE = {
  name: 'us-docker.pkg.dev/example/apps/web',
  hex: '0123456789abcdef'.repeat(4),
};
export const RESOURCE_URI = `https://${IMAGE.name}@sha256:${IMAGE.hex}`;
// Fast retries so fault tests take milliseconds, still bounded by a deadline.
export const FAST = {
  baseDelayMs: 10,
  deadlineMs: 2_000,
  callTimeoutMs: 1_000,
};

export interface GrafeasFixture {
  server: GrafeasServer;
  client: GrafeasHandle;
  close(): Promise<void>;
}

// The stand-in (with NOTE unless opts.notes says otherwise) and a real client for it.
export async function startGrafeas(
  opts: GrafeasServerOptions = {}
): Promise<GrafeasFixture> {
  const server = await startGrafeasServer({ notes: [NOTE], ...opts });
  const client = await createGrafeasClient({ endpoint: server.endpoint });
  return {
    server,
    client,
    close: async () => (await client.close(), await server.close()),
  };
}

// The whole GrafeasClient for the stand-in, built directly (the dev grpc-js is the instance gax uses).
export function fullClient(server: GrafeasServer): GrafeasClient {
  return new GrafeasClient({
    apiEndpoint: '127.0.0.1',
    port: server.port,
    sslCreds: grpc.credentials.createInsecure(),
  });
}

// A fresh in-process P-256 signer.
export function localSigner(): LocalKeySigner {
  const { privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return LocalKeySigner.fromPem(privateKey);
}

// `openssl dgst -sha256 -verify pub.pem -signature sig payload`, as an attestor's verifier would.
export async function opensslVerifies(
  dir: string,
  pubPem: string,
  signature: Buffer,
  payload: Buffer
): Promise<boolean> {
  await writeFile(join(dir, 'pub.pem'), pubPem);
  await writeFile(join(dir, 'sig'), signature);
  await writeFile(join(dir, 'payload'), payload);
  try {
    const args = [
      'dgst',
      '-sha256',
      '-verify',
      'pub.pem',
      '-signature',
      'sig',
      'payload',
    ];
    return execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
      .toString()
      .includes('Verified OK');
  } catch {
    return false;
  }
}

// The RFC 6920 key ID computed by openssl and tr rather than by our code.
export function opensslNiKeyId(dir: string): string {
  const script =
    "openssl pkey -pubin -in pub.pem -outform DER | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=\\n'";
  return `ni:///sha-256;${execFileSync('sh', ['-c', script], { cwd: dir }).toString()}`;
}

export async function assertRejectsWithCode(
  p: Promise<unknown>,
  code: AttestationError['code']
): Promise<AttestationError> {
  let caught: unknown;
  await assert.rejects(p, (err: unknown) => ((caught = err), true));
  assert.ok(caught instanceof AttestationError, `got ${String(caught)}`);
  assert.equal(caught.code, code);
  return caught;
}
