import assert from 'node:assert/strict';
import { ConfigError } from '../../shared/core/errors.js';
import { loadConfig } from '../../shared/config.js';
import type { KubeRequest } from '../stand-ins/kube-server.js';
import {
  readExamplePipeline,
  type ExamplePipeline,
} from './example-pipeline.js';
import { postEvent, startSink, type Sink } from './sink-harness.js';

const DELAY_MS = 120;
const isRunGet = (r: KubeRequest) => /\/pipelineruns\/[^/]+$/.test(r.path);

// Delays every kube answer and records, per request, how many run GETs were unanswered at its arrival.
function slowKube(sink: Sink) {
  const seen = {
    inflightGets: 0,
    maxInflightGets: 0,
    arrivals: [] as number[],
  };
  sink.kube.fault = (req) => {
    seen.arrivals.push(Date.now());
    if (isRunGet(req)) {
      seen.maxInflightGets = Math.max(
        ++seen.inflightGets,
        seen.maxInflightGets
      );
      // Created before the stand-in's own timer of the same delay, so it fires first.
      setTimeout(() => seen.inflightGets--, DELAY_MS).unref();
    }
    return { delayMs: DELAY_MS };
  };
  return seen;
}

describe('attestRun: MAX_INFLIGHT_ATTESTATIONS gate and overlapped fetch', function () {
  this.timeout(30000);
  let sink: Sink;
  let example: ExamplePipeline;

  before(async () => {
    example = await readExamplePipeline();
    sink = await startSink({
      MAX_INFLIGHT_ATTESTATIONS: '2',
      KUBE_TIMEOUT_MS: '5000',
    });
  });
  after(() => sink.close());
  beforeEach(async () => {
    await sink.clear();
    example.serve(sink.kube);
    sink.kube.requests.length = 0;
  });

  it('with N=2, 8 concurrent deliveries never have more than 2 run GETs in flight, and all answer 200', async () => {
    const seen = slowKube(sink);
    const event = example.event('pipelinerun-successful');
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => postEvent(sink, event))
    );
    assert.deepEqual(
      answers.map((a) => a.status),
      Array(8).fill(200)
    );
    assert.equal(sink.kube.requests.filter(isRunGet).length, 8);
    assert.equal(seen.maxInflightGets, 2);
    const stored = new Set(answers.map((a) => JSON.stringify(a.body.stored)));
    assert.equal(stored.size, 1, 'every delivery names the same keys');
    const files = await sink.files();
    for (const key of answers[0]!.body.stored as string[])
      assert.ok(files.includes(key), key);
  });

  it('sends the run GET and the child LIST together: two calls, one round trip', async () => {
    const seen = slowKube(sink);
    const started = Date.now();
    await postEvent(sink, example.event('pipelinerun-successful')).expect(200);
    assert.equal(sink.kube.requests.length, 2);
    const [get, list] = seen.arrivals;
    assert.ok(
      Math.abs(list! - get!) < DELAY_MS,
      `both requests sent before either answer (${list! - get!} ms apart)`
    );
    assert.ok(Date.now() - started < 2 * DELAY_MS + 1000);
  });

  it('validates MAX_INFLIGHT_ATTESTATIONS (default 8, 1–1000)', () => {
    assert.equal(loadConfig({}).maxInflightAttestations, 8);
    assert.equal(
      loadConfig({ MAX_INFLIGHT_ATTESTATIONS: '3' }).maxInflightAttestations,
      3
    );
    for (const bad of ['0', '1001', 'x', '-1'])
      assert.throws(
        () => loadConfig({ MAX_INFLIGHT_ATTESTATIONS: bad }),
        (err: unknown) =>
          err instanceof ConfigError &&
          err.message.includes('MAX_INFLIGHT_ATTESTATIONS'),
        bad
      );
  });
});
