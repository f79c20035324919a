// A Kubernetes API stand-in for tekton.dev TaskRuns and PipelineRuns, reached by the real client library.
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { matchesSelector, toV1beta1 } from './kube-objects.js';

type Obj = {
  kind?: string;
  metadata?: { namespace?: string; name?: string; [k: string]: unknown };
  [k: string]: unknown;
};

// One request as the server saw it (path without query, decoded query, bearer token or undefined).
export interface KubeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  token: string | undefined;
}

// What the fault hook may do to one request instead of answering it normally.
export type KubeFault =
  { status: number } | { delayMs: number } | { reset: true } | undefined;

export interface KubeStandIn {
  url: string;
  port: number;
  requests: KubeRequest[];
  // TCP (or, with tls, TLS) connections accepted so far.
  connections: number;
  // Called for every request; return a fault to inject it (e.g. fail the next N requests).
  fault: ((req: KubeRequest) => KubeFault) | undefined;
  setRuns(objects: object[]): void;
  upsert(object: object): void;
  remove(plural: 'taskruns' | 'pipelineruns', ns: string, name: string): void;
  close(): Promise<void>;
}

const PATH =
  /^\/apis\/tekton\.dev\/(v1|v1beta1)(?:\/namespaces\/([^/]+))?\/(taskruns|pipelineruns)(?:\/([^/]+))?$/;

function pluralOf(obj: Obj): string {
  if (obj.kind === 'TaskRun') return 'taskruns';
  if (obj.kind === 'PipelineRun') return 'pipelineruns';
  throw new Error(
    `kube stand-in: expected a TaskRun or PipelineRun, got ${String(obj.kind)}`
  );
}

function status(
  res: ServerResponse,
  code: number,
  reason: string,
  message: string
): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      code,
    })
  );
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

// Starts the stand-in on 127.0.0.1 (port 0 by default); token, when given, is required as a bearer token;
// tls (a PEM key and certificate) serves https instead of http.
export async function startKubeServer(
  opts: {
    token?: string;
    port?: number;
    tls?: { key: string; cert: string };
  } = {}
): Promise<KubeStandIn> {
  const objects = new Map<string, Obj>();
  let resourceVersion = 1;
  const keyOf = (plural: string, ns: string, name: string) =>
    `${plural}/${ns}/${name}`;
  const upsert = (object: object): void => {
    const obj = structuredClone(object) as Obj;
    const meta = obj.metadata ?? {};
    meta.resourceVersion = String(++resourceVersion);
    obj.metadata = meta;
    objects.set(
      keyOf(pluralOf(obj), meta.namespace ?? 'default', meta.name ?? ''),
      obj
    );
  };

  const list = (
    req: KubeRequest,
    version: string,
    plural: string,
    ns: string | undefined,
    res: ServerResponse
  ) => {
    const selector = req.query.labelSelector ?? '';
    const all = [...objects.entries()]
      .filter(([k]) =>
        k.startsWith(`${plural}/${ns === undefined ? '' : `${ns}/`}`)
      )
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => o)
      .filter((o) =>
        matchesSelector(
          (o.metadata?.labels ?? {}) as Record<string, string>,
          selector
        )
      );
    const start = req.query.continue
      ? Number(Buffer.from(req.query.continue, 'base64url').toString())
      : 0;
    const limit = req.query.limit ? Number(req.query.limit) : 0;
    const end = limit > 0 ? Math.min(all.length, start + limit) : all.length;
    const items = all
      .slice(start, end)
      .map((o) => (version === 'v1beta1' ? toV1beta1(o) : o));
    const metadata: Record<string, unknown> = {
      resourceVersion: String(resourceVersion),
    };
    if (end < all.length) {
      metadata.continue = Buffer.from(String(end)).toString('base64url');
      metadata.remainingItemCount = all.length - end;
    }
    json(res, {
      apiVersion: `tekton.dev/${version}`,
      kind: plural === 'taskruns' ? 'TaskRunList' : 'PipelineRunList',
      metadata,
      items,
    });
  };

  const answer = (req: KubeRequest, res: ServerResponse): void => {
    if (opts.token !== undefined && req.token !== opts.token) {
      return status(res, 401, 'Unauthorized', 'Unauthorized');
    }
    const m = PATH.exec(req.path);
    if (!m || req.method !== 'GET')
      return status(
        res,
        404,
        'NotFound',
        `the server could not find the requested resource (${req.method} ${req.path})`
      );
    const [, version = 'v1', ns, plural = '', name] = m;
    if (name === undefined) return list(req, version, plural, ns, res);
    if (ns === undefined)
      return status(
        res,
        404,
        'NotFound',
        'the server could not find the requested resource'
      );
    const obj = objects.get(keyOf(plural, ns, name));
    if (!obj)
      return status(
        res,
        404,
        'NotFound',
        `${plural}.tekton.dev "${name}" not found`
      );
    json(res, version === 'v1beta1' ? toV1beta1(obj) : obj);
  };

  const stand: KubeStandIn = {
    url: '',
    port: 0,
    requests: [],
    connections: 0,
    fault: undefined,
    setRuns(list) {
      objects.clear();
      list.forEach(upsert);
    },
    upsert,
    remove(plural, ns, name) {
      objects.delete(keyOf(plural, ns, name));
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const handle = (msg: IncomingMessage, res: ServerResponse) => {
    const url = new URL(msg.url ?? '/', 'http://stand-in');
    const auth = msg.headers.authorization;
    const req: KubeRequest = {
      method: msg.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      token: auth?.startsWith('Bearer ') ? auth.slice(7) : undefined,
    };
    stand.requests.push(req);
    const fault = stand.fault?.(req);
    if (fault && 'reset' in fault) return void msg.socket.destroy();
    if (fault && 'status' in fault)
      return status(res, fault.status, 'InternalError', 'injected fault');
    if (fault && 'delayMs' in fault)
      return void setTimeout(() => answer(req, res), fault.delayMs).unref();
    answer(req, res);
  };
  const server = opts.tls
    ? createTlsServer(opts.tls, handle)
    : createServer(handle);
  server.on(opts.tls ? 'secureConnection' : 'connection', () => {
    stand.connections++;
  });
  await new Promise<void>((resolve) =>
    server.listen(opts.port ?? 0, '127.0.0.1', resolve)
  );
  stand.port = (server.address() as AddressInfo).port;
  stand.url = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${stand.port}`;
  return stand;
}

// A fault hook that injects `fault` into the next `times` requests, then lets everything through.
export function faultTimes(
  times: number,
  fault: KubeFault
): (req: KubeRequest) => KubeFault {
  let left = times;
  return () => (left-- > 0 ? fault : undefined);
}
