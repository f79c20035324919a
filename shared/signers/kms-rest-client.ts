// Cloud KMS's three calls we make (asymmetricSign, getPublicKey, listCryptoKeyVersions) over its REST API on
// node:https, with google-auth-library's credentials. It answers in the gRPC client's shapes and error codes,
// so KmsSigner's CRC32C checks, deadline, retry classes and error mapping are the same for both transports;
// it spares a cold start @google-cloud/kms, google-gax, grpc-js and protobufjs (~380 ms, docs/benchmark.md).
// https://cloud.google.com/kms/docs/reference/rest
import { authHeadersFor, CLOUD_PLATFORM } from '../http/adc.js';
import { HttpTimeoutError, httpRequest } from '../http/request.js';
import { int64 } from './kms-ref.js';
import type { KmsCall, KmsClient, SignRequest } from './kms-setup.js';

export const KMS_REST_URL = 'https://cloudkms.googleapis.com';

// google.rpc.Code names (the REST error `status`) → the gRPC codes the gRPC client reports.
const CODES: Record<string, number> = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
};
// When a reply has no google.rpc.Status body: HTTP status → gRPC code (google.rpc.Code's own table).
const BY_HTTP: Record<number, number> = {
  400: 3,
  401: 16,
  403: 7,
  404: 5,
  409: 10,
  429: 8,
  499: 1,
  500: 13,
  501: 12,
  502: 14,
  503: 14,
  504: 4,
};

// A failed call, with `code` as the gRPC client would give it (14 UNAVAILABLE for a broken connection).
export class KmsRestError extends Error {
  constructor(
    readonly code: number,
    message: string,
    options?: ErrorOptions
  ) {
    super(message, options);
  }
}

// Resource names go in the path as they are (KMS names are [\w-] segments); each segment is encoded anyway.
const pathOf = (name: string) =>
  `/v1/${name.split('/').map(encodeURIComponent).join('/')}`;
// proto3 JSON gives int64 and bytes as strings; anything else is treated as absent.
const str = (v: unknown) =>
  typeof v === 'string' || typeof v === 'number' ? String(v) : '';
const wrapped = (v: unknown) => (v === undefined ? null : { value: str(v) });

export class KmsRestClient implements KmsClient {
  private readonly headers: () => Promise<Record<string, string>>;

  // base: KMS_REST_URL (ADC credentials), or a plain-http stand-in (no credentials).
  constructor(private readonly base: string = KMS_REST_URL) {
    this.headers = authHeadersFor(base, CLOUD_PLATFORM);
  }

  async asymmetricSign(req: SignRequest, call: KmsCall) {
    const body = {
      digest: { sha256: Buffer.from(req.digest.sha256).toString('base64') },
      digestCrc32c: String(int64(req.digestCrc32c)),
    };
    const r = await this.send(
      'POST',
      `${pathOf(req.name)}:asymmetricSign`,
      call,
      body
    );
    const res = {
      name: r['name'] as string | undefined,
      signature: Buffer.from(str(r['signature']), 'base64'),
      signatureCrc32c: wrapped(r['signatureCrc32c']),
      verifiedDigestCrc32c: r['verifiedDigestCrc32c'] === true,
    };
    return [res] as [typeof res];
  }

  async getPublicKey(req: { name: string }, call: KmsCall) {
    const r = await this.send('GET', `${pathOf(req.name)}/publicKey`, call);
    const res = {
      pem: r['pem'] as string | undefined,
      algorithm: r['algorithm'] as string | undefined,
      pemCrc32c: wrapped(r['pemCrc32c']),
      name: r['name'] as string | undefined,
    };
    return [res] as [typeof res];
  }

  // Every page, as the gRPC client's auto-paginating list does.
  async listCryptoKeyVersions(
    req: { parent: string; filter?: string },
    call: KmsCall
  ) {
    const versions: { name?: string; state?: string; algorithm?: string }[] =
      [];
    let pageToken = '';
    do {
      const q = new URLSearchParams({
        ...(req.filter ? { filter: req.filter } : {}),
        ...(pageToken ? { pageToken } : {}),
      });
      const r = await this.send(
        'GET',
        `${pathOf(req.parent)}/cryptoKeyVersions?${q.toString()}`,
        call
      );
      versions.push(
        ...((r['cryptoKeyVersions'] as typeof versions | undefined) ?? [])
      );
      pageToken = str(r['nextPageToken']);
    } while (pageToken);
    return [versions] as [typeof versions];
  }

  // One request within call.timeout; non-2xx → KmsRestError with the gRPC code of its google.rpc.Status.
  private async send(
    method: 'GET' | 'POST',
    path: string,
    call: KmsCall,
    body?: unknown
  ): Promise<Record<string, unknown>> {
    const url = new URL(path, this.base);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = {
      ...(await this.headers()),
      accept: 'application/json',
      ...(payload ? { 'content-type': 'application/json' } : {}),
    };
    const reply = await httpRequest(url, {
      method,
      headers,
      timeoutMs: call.timeout,
      ...(payload ? { body: payload } : {}),
    }).catch((err: unknown) => {
      const timedOut = err instanceof HttpTimeoutError;
      throw new KmsRestError(
        timedOut ? 4 : 14,
        timedOut
          ? `no answer within ${call.timeout} ms`
          : `${method} ${url.pathname}: ${(err as Error).message}`,
        { cause: err }
      );
    });
    return parseReply(reply.status, reply.body.toString());
  }
}

function parseReply(status: number, text: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (status >= 200 && status < 300 && json && typeof json === 'object')
    return json as Record<string, unknown>;
  const err = (
    json as { error?: { status?: string; message?: string } } | undefined
  )?.error;
  const code =
    CODES[err?.status ?? ''] ??
    BY_HTTP[status] ??
    (status >= 200 && status < 300 ? 13 : 2);
  throw new KmsRestError(
    code,
    `HTTP ${status} ${err?.status ?? ''}: ${err?.message ?? text.slice(0, 200)}`.replace(
      /\s+:/,
      ':'
    )
  );
}
