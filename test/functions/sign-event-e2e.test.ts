import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { http } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { makeDeps } from '../../functions/deps.js';
import { makeSignEvent, signEventDeps } from '../../functions/sign-event.js';
import { loadConfig } from '../../shared/config.js';
import { createMemoryLogger } from '../../shared/log.js';
import {
  openEnvelope,
  postEvent,
  startSink,
  type Sink,
} from './sink-harness.js';
import { readExamplePipeline } from './example-pipeline.js';

// The issue-5 flow through the real handlers: HMAC-signed push → signEvent → attestRun links to it.
describe('signEvent → attestRun end to end (shipped examples)', function () {
  this.timeout(30000);
  const triggers = join(process.cwd(), 'examples/triggers');
  let sink: Sink;
  before(async () => {
    sink = await startSink({ FORMATS: 'slsa/v0.2,slsa/v1.0' });
  });
  after(() => sink.close());

  it('signs the webhook with the configured secret file, then the PipelineRun records the link', async () => {
    const example = await readExamplePipeline();
    example.serve(sink.kube);
    const config = loadConfig({
      STORE: sink.dir,
      RUN_SOURCE: 'event',
      WEBHOOK_SECRET_FILE: join(triggers, 'webhook-secret.txt'),
    });
    const deps = makeDeps(config, createMemoryLogger(), {
      cwd: dirname(sink.dir),
    });
    http('signEventE2E', makeSignEvent(signEventDeps(deps)));
    const interceptorRequest = await readFile(
      join(triggers, 'interceptor-request.json'),
      'utf8'
    );
    const res = await request(getTestServer('signEventE2E'))
      .post('/')
      .set('Content-Type', 'application/json')
      .send(interceptorRequest)
      .expect(200);
    const body = await readFile(join(triggers, 'push-event.json'));
    const hex = createHash('sha256').update(body).digest('hex');
    const eventKey =
      'events/8c1d2f4e-6a3b-4c59-9e0d-7b2a1f6c3d84/event.dsse.json';
    assert.equal(res.body.continue, true);
    assert.deepEqual(res.body.extensions.provenance, {
      eventId: '8c1d2f4e-6a3b-4c59-9e0d-7b2a1f6c3d84',
      eventDigest: `sha256:${hex}`,
      attestation: eventKey,
    });
    const event = await openEnvelope(sink, await sink.read(eventKey));
    assert.equal(event.subject[0].digest.sha256, hex);

    for (const e of example.events.filter((x) => /successful/.test(x.file))) {
      await postEvent(sink, e).expect(200);
    }
    const runKeys = (await sink.files()).filter((k) =>
      k.startsWith('runs/ci/pipelinerun-')
    );
    assert.equal(runKeys.length, 2);
    for (const key of runKeys) {
      const statement = await openEnvelope(sink, await sink.read(key));
      const links = key.endsWith('slsa-v0.2.dsse.json')
        ? statement.predicate.materials
        : statement.predicate.buildDefinition.resolvedDependencies;
      const link = links.find((m: { uri?: string }) => m.uri === eventKey);
      assert.deepEqual(link?.digest, { sha256: hex }, key);
    }
  });
});
