// Builds the Signer a SIGNER/--signer value names: a PEM private key path or a gcpkms:// reference.
import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, resolve } from 'node:path';
import type { KeyManagementServiceClient } from '@google-cloud/kms';
import type { Signer } from './signer.js';
import type { KmsClient, KmsSignerOptions } from './kms-signer.js';
import { generateLocalKey, LocalKeySigner } from './local-key-signer.js';

export interface CreateSignerOptions extends KmsSignerOptions {
  // A ready KMS client (tests: the real client pointed at the stand-in); else one is built with ADC.
  kmsClient?: KmsClient;
  // Base for relative key paths; default process.cwd().
  cwd?: string;
  // Local keys only: generate DIR/<name>.pem (+ .pub.pem) when the file is absent (npm start's first run).
  generateIfMissing?: boolean;
  log?: (message: string) => void;
  // A plaintext KMS stand-in (KMS_ENDPOINT; local benchmarks only): host:port for gRPC, http://host:port for REST.
  kmsEndpoint?: string;
}

type KmsClientOptions = NonNullable<
  ConstructorParameters<typeof KeyManagementServiceClient>[0]
>;

let defaultKmsClient: Promise<KmsClient> | undefined;

// Cloud KMS over REST with ADC (KmsRestClient: no gRPC stack to load on a cold start), built once; the gRPC
// client only for a host:port stand-in.
async function kmsClientFor(opts: CreateSignerOptions): Promise<KmsClient> {
  if (opts.kmsClient) return opts.kmsClient;
  const endpoint = opts.kmsEndpoint;
  if (endpoint?.startsWith('http://')) {
    const { KmsRestClient } = await import('./kms-rest-client.js');
    return new KmsRestClient(endpoint);
  }
  if (endpoint) return standInKmsClient(endpoint);
  defaultKmsClient ??= import('./kms-rest-client.js').then(
    ({ KmsRestClient }) => new KmsRestClient()
  );
  return defaultKmsClient;
}

// An insecure channel to a local stand-in; grpc-js must be the instance the KMS client's google-gax uses.
async function standInKmsClient(endpoint: string): Promise<KmsClient> {
  const kms = await import('@google-cloud/kms');
  const gaxRequire = createRequire(
    createRequire(import.meta.url).resolve('@google-cloud/kms')
  );
  const gax = gaxRequire('google-gax') as {
    grpc: {
      credentials: {
        createInsecure(): NonNullable<KmsClientOptions['sslCreds']>;
      };
    };
  };
  const [host, port] = [
    endpoint.replace(/:\d+$/, ''),
    Number(endpoint.split(':').pop()),
  ];
  const sslCreds = gax.grpc.credentials.createInsecure();
  return new kms.KeyManagementServiceClient({
    apiEndpoint: host,
    port,
    sslCreds,
  });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false
  );
}

// Signer for ref; SigningError SIGNER_INVALID when the key or reference is unusable.
export async function createSigner(
  ref: string,
  opts: CreateSignerOptions = {}
): Promise<Signer> {
  if (ref.startsWith('gcpkms://')) {
    const [{ KmsSigner }, client] = await Promise.all([
      import('./kms-signer.js'),
      kmsClientFor(opts),
    ]);
    return KmsSigner.create(client, ref, opts);
  }
  const path = resolve(opts.cwd ?? process.cwd(), ref);
  if (opts.generateIfMissing && !(await exists(path))) {
    const base = basename(path).replace(/\.pem$/, '');
    try {
      const key = await generateLocalKey(dirname(path), base);
      opts.log?.(`generated signing key ${path} (keyid ${key.keyId})`);
    } catch (err) {
      if (!(await exists(path))) throw err; // else a concurrent start won the race
    }
  }
  return LocalKeySigner.fromFile(path);
}
