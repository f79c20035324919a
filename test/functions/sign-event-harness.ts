// signEvent served through functions-framework over a given store, and the requests and stored files it is tested with.
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { http } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { makeSignEvent } from '../../functions/sign-event.js';
import { decodePayload, parseEnvelope } from '../../shared/core/dsse.js';
import type { TriggerEventStatement } from '../../shared/core/trigger-event.js';
import { createMemoryLogger } from '../../shared/log.js';
import { LocalKeySigner } from '../../shared/signers/local-key-signer.js';
import { FsStore } from '../../shared/stores/fs-store.js';
import type { AttestationStore } from '../../shared/stores/store.js';
import { githubSignature } from '../../shared/webhook-auth.js';

// A file of examples/triggers (tests run from the repository root: npm test, or mocha on the .ts files).
export const examples = (name: string) =>
  readFile(join(process.cwd(), 'examples/triggers', name));
// Lower-case hex SHA-256.
export const sha256 = (b: Buffer) =>
  createHash('sha256').update(b).digest('hex');
// The webhook secret serve() configures by default.
export const SECRET = 'it-is-a-secret-4f1e9a';
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
// The signer every served signEvent uses.
export const signer = LocalKeySigner.fromPem(
  privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
);

// An interceptor request as Tekton Triggers posts it.
export type Req = Record<string, unknown> & {
  header: Record<string, string[]>;
};
let n = 0;
// Registers signEvent over store (secret, unauthenticated mode and size cap overridable); post() expects HTTP 200.
export function serve(
  store: AttestationStore,
  over: {
    webhookSecret?: string | undefined;
    allow?: boolean;
    maxBodyBytes?: number;
  } = {}
) {
  const name = `signEventTest${++n}`;
  const logger = createMemoryLogger();
  http(
    name,
    makeSignEvent({
      signer: () => Promise.resolve(signer),
      store: () => Promise.resolve(store),
      webhookSecret: 'webhookSecret' in over ? over.webhookSecret : SECRET,
      allowUnauthenticatedWebhooks: over.allow ?? false,
      maxBodyBytes: over.maxBodyBytes ?? 1024 * 1024,
      now: () => new Date('2025-05-01T10:00:00Z'),
      logger,
    })
  );
  const server = getTestServer(name);
  return {
    name,
    logger,
    post: async (body: unknown) => {
      const res = await request(server)
        .post('/')
        .send(body as object);
      assert.equal(res.status, 200);
      return res.body as {
        continue: boolean;
        status: { code: number; message: string };
        extensions?: { provenance: Record<string, string> };
      };
    },
  };
}

// An interceptor request for body, HMAC-signed with SECRET unless signature says otherwise (null: unsigned);
// each event id comes with its own delivery id, as GitHub deliveries do.
export function interceptorRequest(
  body: string,
  eventId = 'e1a2b3c4-0000-4000-8000-000000000001',
  signature: string | null = githubSignature(Buffer.from(body), SECRET)
): Req {
  return {
    body,
    header: {
      'Content-Type': ['application/json'],
      'X-Github-Event': ['push'],
      'X-Github-Delivery': [`d-${eventId}`],
      ...(signature === null ? {} : { 'X-Hub-Signature-256': [signature] }),
    },
    extensions: {},
    interceptor_params: {},
    context: {
      event_url: '/',
      event_id: eventId,
      trigger_id: 'namespaces/ci/triggers/github-push',
    },
  };
}

// Every file under dir (relative path → bytes).
export async function files(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const e of entries.filter((x) => x.isFile())) {
    const path = join(e.parentPath, e.name);
    out.set(relative(dir, path), await readFile(path));
  }
  return out;
}

// The trigger-event statement inside stored envelope bytes.
export function statementOf(bytes: Buffer): TriggerEventStatement {
  return JSON.parse(
    decodePayload(parseEnvelope(bytes)).toString('utf8')
  ) as TriggerEventStatement;
}

// A fresh directory store for every test of the calling suite (registers mocha hooks).
export function useTempFsStore(): {
  readonly dir: string;
  readonly store: FsStore;
} {
  let dir = '';
  let store: FsStore | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sign-event-'));
    store = new FsStore(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  return {
    get dir() {
      return dir;
    },
    get store() {
      return store!;
    },
  };
}
