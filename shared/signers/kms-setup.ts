// Cloud KMS reads made once per signer: which key version to use, and its public key (read quota is 300/min).
// https://cloud.google.com/kms/docs/reference/rest/v1/projects.locations.keyRings.cryptoKeys#CryptoKey.FIELDS.primary
import { SigningError } from '../core/errors.js';
import { retryTransient } from '../retry.js';
import { crc32c } from './crc32c.js';
import {
  int64,
  integrityError,
  isTransientKmsError,
  toSigningError,
} from './kms-ref.js';

// Per-call options: gax's own retries off, one attempt's budget in ms.
export interface KmsCall {
  retry: null;
  timeout: number;
}

type Opt<T> = T | null | undefined;
// The reply fields we read; the gRPC client's protos and KmsRestClient's objects both have them.
export interface SignReply {
  name?: Opt<string>;
  signature?: Opt<Uint8Array | string>;
  signatureCrc32c?: Opt<{ value?: unknown }>;
  verifiedDigestCrc32c?: Opt<boolean>;
}
export interface PublicKeyReply {
  pem?: Opt<string>;
  pemCrc32c?: Opt<{ value?: unknown }>;
  algorithm?: unknown;
}
export interface VersionReply {
  name?: Opt<string>;
  state?: unknown;
  algorithm?: unknown;
}
export interface SignRequest {
  name: string;
  digest: { sha256: Uint8Array };
  digestCrc32c: { value: number };
}

// The calls we make: KeyManagementServiceClient (gRPC; tests, KMS_ENDPOINT=host:port) and KmsRestClient
// (REST, the default) both fit.
export interface KmsClient {
  asymmetricSign(
    req: SignRequest,
    call: KmsCall
  ): Promise<[SignReply, ...unknown[]]>;
  getPublicKey(
    req: { name: string },
    call: KmsCall
  ): Promise<[PublicKeyReply, ...unknown[]]>;
  listCryptoKeyVersions(
    req: { parent: string; filter?: string },
    call: KmsCall
  ): Promise<[VersionReply[], ...unknown[]]>;
}

export interface KmsSignerOptions {
  // Budget for one sign (or for the setup), retries included; default 10 s.
  deadlineMs?: number;
  // First retry backoff; default 100 ms.
  baseDelayMs?: number;
  onRetry?: (err: unknown, attempt: number) => void;
}

type CryptoKeyVersion = VersionReply;

// Enums arrive as names or numbers depending on the decoder: EC_SIGN_P256_SHA256 = 12, ENABLED = 1.
const P256 = new Set<unknown>(['EC_SIGN_P256_SHA256', 12]);
const ENABLED = new Set<unknown>(['ENABLED', 1]);

// Retries within the deadline (gax's own retries off) and maps the final failure to a SigningError.
export function withRetries<T>(
  opts: KmsSignerOptions,
  what: string,
  call: (callOptions: KmsCall) => Promise<T>
): Promise<T> {
  return retryTransient((timeout) => call({ retry: null, timeout }), {
    deadlineMs: opts.deadlineMs ?? 10_000,
    baseDelayMs: opts.baseDelayMs ?? 100,
    isTransient: isTransientKmsError,
    ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
  }).catch((err: unknown) => {
    throw toSigningError(err, what);
  });
}

function checkP256(name: string, algorithm: unknown): void {
  if (P256.has(algorithm)) return;
  throw new SigningError(
    'SIGNER_INVALID',
    `expected ${name} to be EC_SIGN_P256_SHA256, got ${String(algorithm)}`
  );
}

const versionNumber = (v: CryptoKeyVersion) =>
  Number(/\/cryptoKeyVersions\/(\d+)$/.exec(v.name ?? '')?.[1] ?? 0);

// Asymmetric keys have no primary version, so (as sigstore does) a versionless ref means the enabled
// version with the highest number; its algorithm must be EC_SIGN_P256_SHA256.
export async function newestEnabledVersion(
  c: KmsClient,
  keyName: string,
  o: KmsSignerOptions
): Promise<string> {
  const what = `the newest enabled version of ${keyName}`;
  const versions = await withRetries(o, what, async (call) => {
    const request = { parent: keyName, filter: 'state=ENABLED' };
    return (await c.listCryptoKeyVersions(request, call))[0];
  });
  const newest = versions
    .filter((v) => ENABLED.has(v.state) && versionNumber(v) > 0)
    .reduce<CryptoKeyVersion | undefined>(
      (best, v) => (best && versionNumber(best) >= versionNumber(v) ? best : v),
      undefined
    );
  if (!newest?.name) {
    throw new SigningError(
      'SIGNER_INVALID',
      `expected ${keyName} to have an enabled key version, got none`
    );
  }
  checkP256(newest.name, newest.algorithm);
  return newest.name;
}

// The version's PEM, checked against its algorithm and pemCrc32c.
export async function publicKeyPemOf(
  c: KmsClient,
  version: string,
  o: KmsSignerOptions
): Promise<string> {
  return withRetries(o, `the public key of ${version}`, async (call) => {
    const [pk] = await c.getPublicKey({ name: version }, call);
    checkP256(version, pk.algorithm);
    if (pk.pem && crc32c(Buffer.from(pk.pem)) === int64(pk.pemCrc32c))
      return pk.pem;
    throw integrityError(
      `expected the public key of ${version} to match its pemCrc32c`
    );
  });
}
