// Starts attestRun with real dependencies (directory or GCS store, local or KMS key, kube stand-in) for tests.
import { createPublicKey, verify } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as ff from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { loadConfig } from '../../shared/config.js';
import { decodePayload, preAuthEncoding } from '../../shared/core/dsse.js';
import type { Envelope } from '../../shared/core/types.js';
import { createMemoryLogger } from '../../shared/log.js';
import { makeAttestRun } from '../../functions/attest-run.js';
import {
  attestRunDeps,
  makeDeps,
  type DepsOverrides,
} from '../../functions/deps.js';
import type { ExampleEvent } from '../../scripts/example-events.js';
import { startKubeServer, type KubeStandIn } from '../stand-ins/kube-server.js';

// A JSON value as parsed (tests walk statements freely).
export type Json = ReturnType<typeof JSON.parse>;

export const KUBE_TOKEN = 'sink-test-token';
let counter = 0;

export interface Sink {
  http: ReturnType<typeof request>;
  dir: string;
  kube: KubeStandIn;
  logger: ReturnType<typeof createMemoryLogger>;
  signer: () => Promise<{ publicKeyPem: string }>;
  // Every file under the store directory (keys relative to it), sorted.
  files(): Promise<string[]>;
  read(key: string): Promise<Envelope>;
  // Empties the store (between tests).
  clear(): Promise<void>;
  close(): Promise<void>;
}

async function walk(dir: string, root = dir): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(
    () => [] as Dirent[]
  );
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory()
        ? walk(join(dir, e.name), root)
        : Promise.resolve([relative(root, join(dir, e.name))])
    )
  );
  return nested.flat().sort();
}

// env is merged over the test defaults (kubernetes source on the stand-in, STORE in a temp dir, key generated there).
export async function startSink(
  env: Record<string, string> = {},
  overrides: DepsOverrides = {}
): Promise<Sink> {
  const kube = await startKubeServer({ token: KUBE_TOKEN });
  const dir = await mkdtemp(join(tmpdir(), 'attest-run-'));
  const config = loadConfig({
    KUBE_SERVER: kube.url,
    KUBE_TOKEN,
    KUBE_TIMEOUT_MS: '400',
    STORE: join(dir, 'store'),
    ...env,
  });
  const logger = createMemoryLogger();
  const deps = makeDeps(config, logger, { cwd: dir, ...overrides });
  const name = `attestRunTest${++counter}`;
  ff.http(name, makeAttestRun(attestRunDeps(deps)));
  const storeDir = join(dir, 'store');
  return {
    http: request(getTestServer(name)),
    dir: storeDir,
    kube,
    logger,
    signer: deps.signer,
    files: () =>
      walk(storeDir).then((f) => f.filter((k) => !k.includes('.tmp'))),
    read: async (key) =>
      JSON.parse(await readFile(join(storeDir, key), 'utf8')) as Envelope,
    clear: () => rm(storeDir, { recursive: true, force: true }),
    close: async () => {
      await kube.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// Posts a recorded delivery exactly as Tekton sends it (binary mode: Ce-* headers, v1beta1 JSON body).
export function postEvent(
  sink: Sink,
  event: ExampleEvent,
  headers: Record<string, string> = {}
) {
  let req = sink.http.post('/');
  for (const [k, v] of Object.entries({ ...event.headers, ...headers }))
    req = req.set(k, v);
  return req.send(event.body.toString());
}

// The same event in structured mode (application/cloudevents+json).
export function postStructured(sink: Sink, event: ExampleEvent) {
  const h = Object.fromEntries(
    Object.entries(event.headers).map(([k, v]) => [k.toLowerCase(), v])
  );
  const body = {
    specversion: '1.0',
    id: h['ce-id'],
    type: h['ce-type'],
    source: h['ce-source'],
    subject: h['ce-subject'],
    time: h['ce-time'],
    datacontenttype: 'application/json',
    data: JSON.parse(event.body.toString()) as unknown,
  };
  return sink.http
    .post('/')
    .set('content-type', 'application/cloudevents+json')
    .send(JSON.stringify(body));
}

// Checks the envelope's signature against the sink's key and returns the decoded statement.
export async function openEnvelope(sink: Sink, env: Envelope): Promise<Json> {
  const { publicKeyPem } = await sink.signer();
  const body = decodePayload(env);
  const sig = Buffer.from(env.signatures[0]!.sig, 'base64');
  if (
    !verify(
      'sha256',
      preAuthEncoding(env.payloadType, body),
      createPublicKey(publicKeyPem),
      sig
    )
  ) {
    throw new Error('signature does not verify');
  }
  return JSON.parse(body.toString());
}
