// In-memory stand-in for the GCS JSON API, enough for @google-cloud/storage: multipart uploads honouring
// ifGenerationMatch (412 conditionNotMet, or 403 for a writer without delete) and an md5Hash given (400), downloads with x-goog-hash, metadata, paged lists, deletes.
// Routes are served with and without /storage/v1 (STORAGE_EMULATOR_HOST style). Faults are injectable.
import { createHash } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  apiError,
  json,
  parseMultipart,
  readBody,
  resource,
  type StoredObject,
} from './gcs-wire.js';

export type { StoredObject };
export type GcsOp = 'upload' | 'download' | 'get' | 'list' | 'delete';
// name: the object name (for uploads, from the ?name= query), absent for lists.
export interface GcsRequestInfo {
  method: string;
  op: GcsOp;
  bucket: string;
  name?: string;
  seq: number;
}
// Answer with a status; reset the connection (before handling, or after the request took effect); or delay, then handle.
export type GcsFault =
  { status: number } | { reset: true; after?: boolean } | { delayMs: number };
export interface GcsServerOptions {
  // Decides per request whether to inject a fault (reliability and bench suites).
  fault?: ((req: GcsRequestInfo) => GcsFault | undefined) | undefined;
  // Maximum items per list page (default 1000).
  pageSize?: number;
  // Answer a create of an existing object with 403 instead of 412, as GCS may for a writer that lacks
  // storage.objects.delete (roles/storage.objectCreator + objectViewer only).
  overwriteForbidden?: boolean;
  // Alter one byte of every upload's media as it arrives, or of every download as it leaves (the
  // x-goog-hash stays the stored object's): in-transit corruption that MD5 checks must catch.
  corruptUploads?: boolean;
  corruptDownloads?: boolean;
}

const flipped = (bytes: Buffer) =>
  Buffer.concat([Buffer.from([(bytes[0] ?? 0) ^ 1]), bytes.subarray(1)]);
export interface GcsCounters {
  requests: number;
  uploads: number;
  created: number;
  preconditionFailed: number;
  forbidden: number;
  downloads: number;
  lists: number;
  faults: number;
}
export interface GcsServer {
  url: string;
  port: number;
  // "bucket/name" → object.
  objects: Map<string, StoredObject>;
  counters: GcsCounters;
  close(): Promise<void>;
}

const ROUTE = /^(?:\/upload)?(?:\/storage\/v1)?\/b\/([^/]+)\/o(?:\/([^?]+))?$/;

const str = (v: unknown, fallback: string) =>
  typeof v === 'string' ? v : fallback;

function opOf(method: string, name: string | undefined, url: URL): GcsOp {
  if (method === 'POST') return 'upload';
  if (method === 'DELETE') return 'delete';
  if (name === undefined) return 'list';
  return url.searchParams.get('alt') === 'media' ? 'download' : 'get';
}

// Starts the stand-in on 127.0.0.1 (port 0 = any free port).
export async function startGcsServer(
  opts: GcsServerOptions = {},
  port = 0
): Promise<GcsServer> {
  const objects = new Map<string, StoredObject>();
  const counters: GcsCounters = {
    requests: 0,
    uploads: 0,
    created: 0,
    preconditionFailed: 0,
    forbidden: 0,
    downloads: 0,
    lists: 0,
    faults: 0,
  };
  let generation = 1_700_000_000_000_000;

  function upload(
    req: IncomingMessage,
    res: ServerResponse,
    bucket: string,
    url: URL,
    body: Buffer
  ) {
    counters.uploads++;
    const [meta, received] = parseMultipart(
      body,
      req.headers['content-type'] ?? ''
    );
    const media = opts.corruptUploads ? flipped(received) : received;
    const md5 = createHash('md5').update(media).digest('base64');
    if (typeof meta['md5Hash'] === 'string' && meta['md5Hash'] !== md5)
      return apiError(
        res,
        400,
        `Provided MD5 hash "${meta['md5Hash']}" doesn't match calculated MD5 hash "${md5}".`,
        'invalid'
      );
    const name = url.searchParams.get('name') ?? str(meta['name'], '');
    const existing = objects.get(`${bucket}/${name}`);
    const ifGen = url.searchParams.get('ifGenerationMatch');
    if (existing && opts.overwriteForbidden) {
      counters.forbidden++;
      return apiError(
        res,
        403,
        `writer does not have storage.objects.delete access to the Google Cloud Storage object. Permission 'storage.objects.delete' denied on resource (or it may not exist).`,
        'forbidden'
      );
    }
    if (ifGen !== null && String(existing?.generation ?? 0) !== ifGen) {
      counters.preconditionFailed++;
      return apiError(
        res,
        412,
        'At least one of the pre-conditions you specified did not hold.',
        'conditionNotMet'
      );
    }
    const metadata = (meta['metadata'] ?? {}) as Record<string, string>;
    const object = {
      bytes: media,
      contentType: str(meta['contentType'], 'application/octet-stream'),
      metadata,
      generation: ++generation,
    };
    objects.set(`${bucket}/${name}`, object);
    counters.created++;
    json(res, 200, resource(bucket, name, object));
  }

  function list(res: ServerResponse, bucket: string, url: URL) {
    counters.lists++;
    const prefix = `${bucket}/${url.searchParams.get('prefix') ?? ''}`;
    const names = [...objects.keys()]
      .filter((k) => k.startsWith(prefix))
      .map((k) => k.slice(bucket.length + 1))
      .sort();
    const size = Math.min(
      Number(url.searchParams.get('maxResults') ?? Infinity),
      opts.pageSize ?? 1000
    );
    const from = Number(url.searchParams.get('pageToken') ?? 0);
    const page = names.slice(from, from + size);
    const next =
      from + page.length < names.length
        ? { nextPageToken: String(from + page.length) }
        : {};
    json(res, 200, {
      kind: 'storage#objects',
      items: page.map((n) =>
        resource(bucket, n, objects.get(`${bucket}/${n}`)!)
      ),
      ...next,
    });
  }

  function object(
    res: ServerResponse,
    op: GcsOp,
    bucket: string,
    name: string
  ) {
    const o = objects.get(`${bucket}/${name}`);
    if (!o)
      return apiError(
        res,
        404,
        `No such object: ${bucket}/${name}`,
        'notFound'
      );
    if (op === 'delete')
      return void (
        objects.delete(`${bucket}/${name}`),
        res.writeHead(204).end()
      );
    if (op === 'get') return json(res, 200, resource(bucket, name, o));
    counters.downloads++;
    const { crc32c, md5Hash } = resource(bucket, name, o);
    res.writeHead(200, {
      'content-type': o.contentType,
      'x-goog-hash': `crc32c=${crc32c},md5=${md5Hash}`,
      'x-goog-generation': String(o.generation),
      'x-goog-stored-content-length': String(o.bytes.length),
    });
    res.end(opts.corruptDownloads ? flipped(o.bytes) : o.bytes);
  }

  // Applies a fault; true when it already answered (or dropped) the request.
  async function injected(
    fault: GcsFault | undefined,
    req: IncomingMessage,
    res: ServerResponse
  ): Promise<boolean> {
    if (!fault) return false;
    counters.faults++;
    if ('status' in fault)
      return (apiError(res, fault.status, 'injected fault'), true);
    if ('delayMs' in fault)
      return (await new Promise((r) => setTimeout(r, fault.delayMs)), false);
    if (!fault.after) return (req.socket.destroy(), true);
    res.writeHead = () => res; // the request takes effect, the reply is lost
    res.end = () => (req.socket.destroy(), res);
    return false;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    counters.requests++;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    const m = ROUTE.exec(url.pathname);
    if (!m?.[1])
      return apiError(
        res,
        404,
        `no route ${req.method} ${url.pathname}`,
        'notFound'
      );
    const [bucket, name] = [
      decodeURIComponent(m[1]),
      m[2] === undefined ? undefined : decodeURIComponent(m[2]),
    ];
    const method = req.method ?? 'GET';
    const op = opOf(method, name, url);
    const target = name ?? url.searchParams.get('name'); // uploads name the object in the query
    const info = {
      method,
      op,
      bucket,
      seq: counters.requests,
      ...(target === null ? {} : { name: target }),
    };
    if (await injected(opts.fault?.(info), req, res)) return;
    if (op === 'upload') return upload(req, res, bucket, url, body);
    if (op === 'list') return list(res, bucket, url);
    object(res, op, bucket, name ?? '');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => apiError(res, 500, String(err)));
  });
  await new Promise<void>((resolve) =>
    server.listen(port, '127.0.0.1', resolve)
  );
  const actual = (server.address() as AddressInfo).port;
  const close = () =>
    new Promise<void>(
      (resolve) => (server.closeAllConnections(), server.close(() => resolve()))
    );
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    objects,
    counters,
    close,
  };
}
