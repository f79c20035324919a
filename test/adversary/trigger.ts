// The real signEvent for the adversary suite, configured through loadConfig as functions/index.ts does.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ff from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { makeDeps } from '../../functions/deps.js';
import { makeSignEvent, signEventDeps } from '../../functions/sign-event.js';
import { loadConfig } from '../../shared/config.js';
import { createMemoryLogger } from '../../shared/log.js';
import type { Json, Sink } from './harness.js';

export const TRIGGERS = 'examples/triggers';
// The signEvent settings of the issue #13 fix, named once here (adjust if the fix chose other names).
export const SIGN_ENV = {
  eventTypes: 'EVENT_TYPES',
  secret: 'WEBHOOK_SECRET',
  secretFile: 'WEBHOOK_SECRET_FILE',
} as const;

let served = 0;
// The real signEvent over the store directory `store`, configured by env; post() expects HTTP 200.
export function signEventServer(
  store: string,
  cwd: string,
  env: Record<string, string>
): { post(body: unknown): Promise<Json> } {
  const config = loadConfig({ STORE: store, RUN_SOURCE: 'event', ...env });
  const deps = makeDeps(config, createMemoryLogger(), { cwd });
  const name = `adversarySignEvent${++served}`;
  ff.http(name, makeSignEvent(signEventDeps(deps)));
  const server = getTestServer(name);
  return {
    post: async (body) => {
      const res = await request(server)
        .post('/')
        .send(body as object);
      assert.equal(res.status, 200);
      return res.body;
    },
  };
}

// Signs a shipped interceptor request (HMAC under the shipped secret) into the sink's store.
export async function signTrigger(
  sink: Sink,
  file = 'interceptor-request.json'
): Promise<void> {
  const secretFile = join(process.cwd(), TRIGGERS, 'webhook-secret.txt');
  const server = signEventServer(sink.dir, join(sink.dir, '..'), {
    [SIGN_ENV.secretFile]: secretFile,
  });
  const req = JSON.parse(await readFile(join(TRIGGERS, file), 'utf8'));
  const res = await server.post(req);
  assert.equal(res.continue, true, JSON.stringify(res.status));
}

// The trigger-event predicate fields marked unauthenticated (names under any `unauthenticated…` key, as a
// list or a mapping, at the predicate or in its `authentication`); the one place to adjust to the fix's shape.
export function unauthenticatedFields(predicate: Json): string[] {
  const names: string[] = [];
  for (const holder of [predicate, predicate?.authentication ?? {}]) {
    for (const [key, value] of Object.entries(holder as object)) {
      if (!/^un(authenticated|verified)/i.test(key)) continue;
      if (Array.isArray(value)) names.push(...value.map(String));
      else if (value && typeof value === 'object')
        names.push(...Object.keys(value));
    }
  }
  return names;
}
