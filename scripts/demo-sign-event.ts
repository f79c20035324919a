// Demo step: the webhook deliveries behind the example PipelineRuns go through signEvent first, the way
// an EventListener calls it (HMAC-signed GitHub push → InterceptorRequest → signed event in the store).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as ff from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { makeSignEvent, signEventDeps } from '../functions/sign-event.js';
import type { InterceptorResponse } from '../shared/core/interceptor.js';
import type { DemoContext, DemoStep } from './demo.js';

// One request per example PipelineRun (their triggers.tekton.dev/triggers-eventid labels).
const REQUESTS = [
  'interceptor-request.json',
  'interceptor-request-inject-miner.json',
];

async function serve(ctx: DemoContext, secret: string): Promise<string> {
  const deps = { ...signEventDeps(ctx.deps!), webhookSecret: secret };
  ff.http('signEventDemo', makeSignEvent(deps));
  const server: Server = getTestServer('signEventDemo');
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  ctx.closers.push(() => new Promise((done) => server.close(() => done())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

async function call(url: string, body: string): Promise<InterceptorResponse> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
  });
  return (await res.json()) as InterceptorResponse;
}

// Needs ctx.deps (the sink's key and store): runs after startSink, before postEvents.
export const signEventStep: DemoStep = {
  title: 'signEvent interceptor: HMAC-checked GitHub push events, signed',
  async run(ctx) {
    const dir = resolve(ctx.root, 'examples/triggers');
    const secret = await readFile(resolve(dir, 'webhook-secret.txt'), 'utf8');
    const url = await serve(ctx, secret.replace(/\r?\n$/, ''));
    for (const file of REQUESTS) {
      const text = await readFile(resolve(dir, file), 'utf8');
      const reply = await call(url, text);
      const p = reply.extensions?.provenance;
      if (!reply.continue || !p) {
        throw new Error(`${file}: continue false (${reply.status.message})`);
      }
      ctx.print(`  continue ${p.eventId}  ${p.eventDigest.slice(0, 23)}…`);
      ctx.print(`           ${p.attestation}`);
    }
    const forged = JSON.parse(
      await readFile(resolve(dir, REQUESTS[0]!), 'utf8')
    ) as { body: string; context: { event_id: string } };
    forged.body = forged.body.replace('refs/heads/main', 'refs/heads/evil');
    forged.context.event_id = 'forged-0001';
    const refused = await call(url, JSON.stringify(forged));
    ctx.print(
      `  forged body (same signature): continue ${refused.continue}, code ${refused.status.code}, nothing signed`
    );
    // The genuine delivery sent again (Triggers gives it a fresh event id): the replay marker refuses it.
    const replay = JSON.parse(
      await readFile(resolve(dir, REQUESTS[0]!), 'utf8')
    ) as { context: { event_id: string } };
    replay.context.event_id = 'replayed-0001';
    const again = await call(url, JSON.stringify(replay));
    ctx.print(
      `  replayed delivery (new event id): continue ${again.continue}, ${again.status.message.split(':')[0]}, nothing signed`
    );
  },
};
