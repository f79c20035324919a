// The KMS stand-in's REST face: the same handlers as its gRPC service, reached through Cloud KMS's HTTP
// routes and proto3 JSON (camelCase names, bytes as base64, Int64Value as a string, errors as google.rpc.Status).
// https://cloud.google.com/kms/docs/reference/rest
import http from 'node:http';
import type { AddressInfo } from 'node:net';

type Reply = (
  err: { code: number; details: string } | null,
  res?: unknown
) => void;
export type KmsHandler = (
  call: { request: Record<string, unknown> },
  done: Reply
) => Promise<void>;
export type KmsHandlers = Record<
  'GetCryptoKey' | 'ListCryptoKeyVersions' | 'GetPublicKey' | 'AsymmetricSign',
  KmsHandler
>;

// gRPC code → [HTTP status, google.rpc.Code name], as Google's REST front ends map them.
const STATUS: Record<number, [number, string]> = {
  3: [400, 'INVALID_ARGUMENT'],
  4: [504, 'DEADLINE_EXCEEDED'],
  5: [404, 'NOT_FOUND'],
  7: [403, 'PERMISSION_DENIED'],
  8: [429, 'RESOURCE_EXHAUSTED'],
  9: [400, 'FAILED_PRECONDITION'],
  13: [500, 'INTERNAL'],
  14: [503, 'UNAVAILABLE'],
  16: [401, 'UNAUTHENTICATED'],
};

const camel = (key: string) =>
  key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

// A handler's reply (snake_case, Buffers, wrapper objects) as proto3 JSON; empty strings omitted as defaults.
export function toProtoJson(value: unknown, key = ''): unknown {
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map((v) => toProtoJson(v));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  if (key.endsWith('crc32c')) return String(obj['value']);
  if (key === 'create_time')
    return new Date(Number(obj['seconds']) * 1000).toISOString();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj))
    if (v !== '' && v !== undefined) out[camel(k)] = toProtoJson(v, k);
  return out;
}

// The handler and its snake_case request for one REST call; undefined for a route KMS does not have.
function route(
  method: string,
  url: URL,
  body: Record<string, unknown>
): [keyof KmsHandlers, Record<string, unknown>] | undefined {
  const path = decodeURIComponent(url.pathname.replace(/^\/v1\//, ''));
  const q = url.searchParams;
  if (method === 'POST' && path.endsWith(':asymmetricSign')) {
    const digest = body['digest'] as { sha256?: string } | undefined;
    const crc = body['digestCrc32c'] as string | number | undefined;
    return [
      'AsymmetricSign',
      {
        name: path.slice(0, -':asymmetricSign'.length),
        digest: { sha256: Buffer.from(digest?.sha256 ?? '', 'base64') },
        digest_crc32c: crc === undefined ? null : { value: String(crc) },
        data: Buffer.from((body['data'] as string | undefined) ?? '', 'base64'),
      },
    ];
  }
  if (method !== 'GET') return undefined;
  if (path.endsWith('/publicKey'))
    return ['GetPublicKey', { name: path.slice(0, -'/publicKey'.length) }];
  if (path.endsWith('/cryptoKeyVersions'))
    return [
      'ListCryptoKeyVersions',
      {
        parent: path.slice(0, -'/cryptoKeyVersions'.length),
        filter: q.get('filter') ?? '',
        page_size: Number(q.get('pageSize') ?? 0),
        page_token: q.get('pageToken') ?? '',
      },
    ];
  return ['GetCryptoKey', { name: path }];
}

function send(res: http.ServerResponse, status: number, json: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(json));
}

// Serves handlers on 127.0.0.1 over plain HTTP; counts and faults are the handlers' own.
export async function serveKmsRest(
  handlers: KmsHandlers
): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://kms');
      let body: Record<string, unknown> = {};
      try {
        if (chunks.length)
          body = JSON.parse(Buffer.concat(chunks).toString()) as typeof body;
      } catch {
        return send(res, 400, {
          error: {
            code: 400,
            message: 'invalid JSON',
            status: 'INVALID_ARGUMENT',
          },
        });
      }
      const found = route(req.method ?? '', url, body);
      if (!found)
        return send(res, 404, {
          error: { code: 404, message: 'no such route', status: 'NOT_FOUND' },
        });
      const [name, request] = found;
      void handlers[name]({ request }, (err, reply) => {
        if (!err) return send(res, 200, toProtoJson(reply));
        const [httpStatus, status] = STATUS[err.code] ?? [500, 'UNKNOWN'];
        send(res, httpStatus, {
          error: { code: httpStatus, message: err.details, status },
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
