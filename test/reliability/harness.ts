// Shared pieces of the reliability suite: counts, functions-framework servers on a kept-alive client, store scans.
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as ff from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { isLayoutKey } from '../../shared/core/layout.js';

// `npm run test:stress` sets STRESS=1: every count below grows by its stress factor.
export const STRESS = process.env.STRESS === '1';
// The fast-check seed of every property (printed by fast-check on failure; FUZZ_SEED replays another).
export const SEED = Number(process.env.FUZZ_SEED ?? 20260504);

// `normal` in npm test, `stress` under test:stress.
export function scaled(normal: number, stress: number): number {
  return STRESS ? stress : normal;
}

// One request as the suite sends it (headers already lower-cased strings; body the exact bytes).
export interface Sent {
  method?: string;
  path?: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

// A registered function served on 127.0.0.1, reached over kept-alive connections.
export interface Served {
  port: number;
  send: (req: Sent) => Promise<Reply>;
  close(): Promise<void>;
}

// A sender to 127.0.0.1:port over agent: writes the exact body bytes and collects the whole reply.
export function sendTo(
  port: number,
  agent: Agent
): (req: Sent) => Promise<Reply> {
  return (req) =>
    new Promise<Reply>((resolve, reject) => {
      const out = request(
        {
          host: '127.0.0.1',
          port,
          agent,
          method: req.method ?? 'POST',
          path: req.path ?? '/',
          headers: { ...req.headers, 'content-length': req.body.length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks),
            })
          );
          res.on('error', reject);
        }
      );
      out.on('error', reject);
      out.end(req.body);
    });
}

let counter = 0;

// Registers `fn` under a fresh name and serves it exactly as functions-framework does (body parsers included).
export async function serveFunction(fn: ff.HttpFunction): Promise<Served> {
  const name = `reliability${++counter}`;
  ff.http(name, fn);
  const server = getTestServer(name);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const send = sendTo(port, agent);
  return {
    port,
    send,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// Every file under dir (paths relative to it, '/'-separated), temporary files included, sorted.
export async function walkFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, {
    recursive: true,
    withFileTypes: true,
  }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

// Final-name objects (layout keys) and everything else (temporaries, strays) found under a store directory.
export async function scanStore(
  dir: string
): Promise<{ keys: string[]; other: string[] }> {
  const files = await walkFiles(dir);
  return {
    keys: files.filter((f) => isLayoutKey(f)),
    other: files.filter((f) => !isLayoutKey(f)),
  };
}

// Heap in use after a full collection (gc exposed at run time; no node flag needed).
export function heapAfterGc(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

// The JSON body of a reply, or undefined when it is not JSON.
export function jsonOf(reply: Reply): unknown {
  try {
    return JSON.parse(reply.body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

// A coded error body: {"error":{"code","message"}} with non-empty strings.
export function isCodedError(body: unknown): body is {
  error: { code: string; message: string };
} {
  const error = (body as { error?: { code?: unknown; message?: unknown } })
    ?.error;
  return (
    typeof error?.code === 'string' &&
    error.code !== '' &&
    typeof error.message === 'string'
  );
}

// Lines written to process stdout/stderr while `work` runs (not passed through), e.g. express's own error log.
export async function captureStdio<T>(
  work: () => Promise<T>,
  onLine: (line: string) => void
): Promise<T> {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const grab = (chunk: unknown) => {
    for (const line of String(chunk).split('\n')) if (line) onLine(line);
    return true;
  };
  process.stdout.write = grab;
  process.stderr.write = grab;
  try {
    return await work();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}
