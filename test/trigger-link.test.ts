import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { attestInput } from '../shared/attest.js';
import { decodePayload } from '../shared/core/dsse.js';
import { parseInterceptorRequest } from '../shared/core/interceptor.js';
import { makeRunInput } from '../shared/core/tekton.js';
import {
  parseRunDocument,
  parseTaskRunsDocument,
} from '../shared/core/tekton-documents.js';
import type { Envelope, RunInput, TektonRun } from '../shared/core/types.js';
import { createMemoryLogger } from '../shared/log.js';
import { LocalKeySigner } from '../shared/signers/local-key-signer.js';
import { signTriggerEvent } from '../shared/sign-trigger-event.js';
import { MemoryStore } from '../shared/stores/memory-store.js';
import {
  findTriggerEvent,
  TRIGGER_EVENT_ID_LABEL,
} from '../shared/trigger-link.js';

// Tests run from the repository root; the TEP-0084 example run carries the shipped event's id.
const example = (path: string) =>
  readFile(join(process.cwd(), 'examples', path), 'utf8');
const EVENT_ID = '8c1d2f4e-6a3b-4c59-9e0d-7b2a1f6c3d84';
const EVENT_KEY = `events/${EVENT_ID}/event.dsse.json`;
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signer = LocalKeySigner.fromPem(
  privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
);
const OPTIONS = {
  builderId: 'https://tekton.dev/chains/v2',
  buildType: 'slsa',
  deepInspection: false,
} as const;

type Json = Record<string, unknown>;

async function pipelineInput(labels?: Record<string, string>) {
  const run = parseRunDocument(await example('tep-0084/pipelinerun.json'));
  if (labels) run.metadata.labels = labels;
  const taskRuns = parseTaskRunsDocument(
    await example('tep-0084/taskruns.json')
  );
  return makeRunInput(run, taskRuns);
}

async function signShippedEvent(store: MemoryStore): Promise<string> {
  const text = await example('triggers/interceptor-request.json');
  const request = parseInterceptorRequest(JSON.parse(text), 1 << 20);
  const secret = await example('triggers/webhook-secret.txt');
  const outcome = await signTriggerEvent(request, {
    webhookSecret: secret.trim(),
    allowUnauthenticatedWebhooks: false,
    signer: () => Promise.resolve(signer),
    store: () => Promise.resolve(store),
    now: () => new Date('2026-05-04T10:19:59Z'),
  });
  return outcome.eventDigest.slice('sha256:'.length);
}

async function attest(store: MemoryStore, input: RunInput, embed: boolean) {
  const logger = createMemoryLogger();
  await attestInput(input, {
    signer,
    store,
    formats: ['slsa/v0.2', 'slsa/v1.0'],
    options: OPTIONS,
    triggerLink: {
      embed,
      warn: (message, fields) => logger.log('WARNING', message, fields),
    },
  });
  const read = async (format: string) => {
    const key = (await store.list('runs/')).find(
      (k) =>
        k.includes(input.run.metadata.uid) && k.endsWith(`${format}.dsse.json`)
    );
    const env = key ? await store.get(key) : undefined;
    assert.ok(env, `no ${format} envelope stored`);
    return JSON.parse(decodePayload(env).toString('utf8')) as {
      predicate: Json & {
        materials?: Json[];
        buildConfig: Json;
        buildDefinition: { resolvedDependencies?: Json[] };
      };
    };
  };
  return { v02: await read('slsa-v0.2'), v1: await read('slsa-v1.0'), logger };
}

describe('trigger-event link', () => {
  it('a PipelineRun with the event-id label links to the event in v0.2 (material) and v1.0 (resolvedDependency)', async () => {
    const store = new MemoryStore();
    const hex = await signShippedEvent(store);
    const body = await readFile(
      join(process.cwd(), 'examples/triggers/push-event.json')
    );
    assert.equal(hex, createHash('sha256').update(body).digest('hex'));
    const { v02, v1, logger } = await attest(
      store,
      await pipelineInput(),
      false
    );
    const expected = { uri: EVENT_KEY, digest: { sha256: hex } };
    assert.deepEqual(
      v02.predicate.materials?.filter((m) => m['uri'] === EVENT_KEY),
      [expected]
    );
    assert.equal(v02.predicate.buildConfig['triggerEvent'], undefined);
    const deps = v1.predicate.buildDefinition.resolvedDependencies ?? [];
    assert.deepEqual(
      deps.filter((d) => d['uri'] === EVENT_KEY),
      [{ name: 'triggerEvent', ...expected }]
    );
    assert.equal(logger.entries.length, 0);
  });

  it('single-record mode embeds the signed event envelope in both formats', async () => {
    const store = new MemoryStore();
    await signShippedEvent(store);
    const stored = (await store.get(EVENT_KEY)) as Envelope;
    const { v02, v1 } = await attest(store, await pipelineInput(), true);
    assert.deepEqual(v02.predicate.buildConfig['triggerEvent'], {
      eventId: EVENT_ID,
      envelope: stored,
    });
    const dep = (v1.predicate.buildDefinition.resolvedDependencies ?? []).find(
      (d) => d['name'] === 'triggerEvent'
    );
    assert.equal(dep?.['mediaType'], 'application/vnd.dsse.envelope.v1+json');
    const embedded = JSON.parse(
      Buffer.from(String(dep?.['content']), 'base64').toString('utf8')
    ) as Envelope;
    assert.deepEqual(embedded, stored);
  });

  it('a run without the label gets no link and still attests', async () => {
    const store = new MemoryStore();
    await signShippedEvent(store);
    const { v02, v1, logger } = await attest(
      store,
      await pipelineInput({ 'tekton.dev/pipeline': 'build-push' }),
      true
    );
    const text = JSON.stringify([v02, v1]);
    assert.ok(!text.includes('events/'));
    assert.ok(!text.includes('triggerEvent'));
    assert.equal(logger.entries.length, 0);
  });

  it('a labelled run whose event was never signed attests without the link and warns', async () => {
    const store = new MemoryStore();
    const { v02, v1, logger } = await attest(
      store,
      await pipelineInput(),
      true
    );
    assert.ok(!JSON.stringify([v02, v1]).includes('events/'));
    assert.equal(logger.entries.length, 1);
    assert.equal(logger.entries[0]?.severity, 'WARNING');
    assert.equal(logger.entries[0]?.eventId, EVENT_ID);
    assert.match(
      logger.entries[0]?.message ?? '',
      /no events\/.+ in the store/
    );
  });

  it('table: unusable labels or stored objects give no link, with a warning', async () => {
    const store = new MemoryStore();
    const hex = await signShippedEvent(store);
    const run = (await pipelineInput()).run;
    const withLabel = (id: string): TektonRun => ({
      ...run,
      metadata: { ...run.metadata, labels: { [TRIGGER_EVENT_ID_LABEL]: id } },
    });
    // Another signed in-toto statement stored under an event key is not a trigger event.
    const other = { ...((await store.get(EVENT_KEY)) as Envelope) };
    other.payload = Buffer.from('{"_type":"x"}').toString('base64');
    await store.put('events/not-an-event/event.dsse.json', other);
    await store.put(
      'events/renamed/event.dsse.json',
      (await store.get(EVENT_KEY)) as Envelope
    );
    for (const id of ['../../x', 'not-an-event', 'renamed', 'absent']) {
      const warnings: string[] = [];
      const link = await findTriggerEvent(withLabel(id), store, {
        embed: false,
        warn: (m) => warnings.push(m),
      });
      assert.equal(link, undefined, id);
      assert.equal(warnings.length, 1, id);
    }
    assert.deepEqual(
      await findTriggerEvent(withLabel(EVENT_ID), store, { embed: false }),
      {
        eventId: EVENT_ID,
        payloadSha256: hex,
        uri: EVENT_KEY,
      }
    );
    assert.equal(
      await findTriggerEvent(withLabel(''), store, { embed: true }),
      undefined
    );
  });

  it('child TaskRuns carry the propagated label and link too', async () => {
    const store = new MemoryStore();
    const hex = await signShippedEvent(store);
    const child = (await pipelineInput()).taskRuns[0];
    assert.ok(child);
    child.metadata.labels[TRIGGER_EVENT_ID_LABEL] = EVENT_ID;
    const { v02 } = await attest(store, { run: child, taskRuns: [] }, false);
    assert.deepEqual(
      v02.predicate.materials?.filter((m) => m['uri'] === EVENT_KEY),
      [{ uri: EVENT_KEY, digest: { sha256: hex } }]
    );
  });
});
