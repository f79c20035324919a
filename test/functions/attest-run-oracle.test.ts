import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  readExamplePipeline,
  type ExamplePipeline,
} from './example-pipeline.js';
import { postEvent, startSink, type Json, type Sink } from './sink-harness.js';

// Issue 13, "Sink": the public attestRun URL is not an oracle. No error body echoes cluster state (a real
// uid, stored keys, names of other objects, server paths or addresses); the 200 body lists keys only for
// the run the caller named with its correct uid.
describe('attestRun: error bodies never echo cluster state (issue 13)', function () {
  this.timeout(30000);
  let sink: Sink;
  let example: ExamplePipeline;
  const prEvent = () => example.event('pipelinerun-successful');
  const realUid = () => (example.runs.pipelineRun as Json).metadata.uid;

  // The event with the PipelineRun's uid replaced by a caller's guess.
  function withUid(uid: string) {
    const event = prEvent();
    const body = JSON.parse(event.body.toString());
    body.pipelineRun.metadata.uid = uid;
    return { ...event, body: Buffer.from(JSON.stringify(body)) };
  }

  function assertNoLeak(body: unknown, secrets: string[], label: string) {
    const text = JSON.stringify(body);
    for (const s of secrets) {
      assert.ok(!text.includes(s), `${label}: body ${text} contains ${s}`);
    }
  }

  before(async () => {
    example = await readExamplePipeline();
    sink = await startSink({ FORMATS: 'slsa/v0.2,slsa/v1.0' });
  });
  after(() => sink.close());
  beforeEach(async () => {
    await sink.clear();
    example.serve(sink.kube);
    sink.kube.fault = undefined;
  });

  it('wrong-uid event: 422 whose body does not contain the real uid, the same body as for an absent run', async () => {
    const guess = '00000000-0000-4000-8000-00000000beef';
    const wrong = await postEvent(sink, withUid(guess)).expect(422);
    assert.equal(wrong.body.error.code, 'RUN_NOT_FOUND');
    assertNoLeak(wrong.body, [realUid()], 'wrong uid');
    sink.kube.setRuns(example.runs.taskRuns);
    const absent = await postEvent(sink, withUid(guess)).expect(422);
    assert.deepEqual(absent.body, wrong.body);
    const logged = sink.logger.entries.find(
      (e) => e.code === 'RUN_NOT_FOUND' && JSON.stringify(e).includes(realUid())
    );
    assert.ok(logged, 'the real uid is in the server-side log');
  });

  it('no 4xx/5xx body contains a stored key, a child name, the store path or the API server address', async () => {
    const ok = await postEvent(sink, prEvent()).expect(200);
    const keys: string[] = ok.body.stored;
    assert.ok(keys.length > 0);
    const children = example.runs.taskRuns.map(
      (tr) => (tr as Json).metadata.name as string
    );
    const secrets = [...keys, ...children, realUid(), sink.dir, 'runs/'];
    const bodies: [string, unknown][] = [];
    bodies.push([
      'wrong uid',
      (await postEvent(sink, withUid('a-guess')).expect(422)).body,
    ]);
    // A missing child: 503 without naming it.
    sink.kube.remove('taskruns', 'ci', children[2]!);
    bodies.push(['missing child', (await postEvent(sink, prEvent())).body]);
    example.serve(sink.kube);
    // The API server fails: 503 without its address.
    sink.kube.fault = () => ({ reset: true });
    bodies.push(['kube reset', (await postEvent(sink, prEvent())).body]);
    sink.kube.fault = undefined;
    // The store fails: 503 without the path of the blocking file.
    await sink.clear();
    await mkdir(sink.dir, { recursive: true });
    await writeFile(join(sink.dir, 'runs'), 'not a directory');
    bodies.push(['store blocked', (await postEvent(sink, prEvent())).body]);
    for (const [label, body] of bodies) {
      assert.ok((body as Json).error?.code, label);
      assertNoLeak(body, secrets, label);
    }
  });

  it('a malformed run in the cluster: 422 without the details of what the API server holds', async () => {
    const pr = structuredClone(example.runs.pipelineRun) as Json;
    pr.spec.params = 'a-secret-value-in-the-cluster';
    sink.kube.upsert(pr);
    const res = await postEvent(sink, prEvent()).expect(422);
    assert.equal(res.body.error.code, 'RUN_INVALID');
    assertNoLeak(res.body, ['a-secret-value', 'params'], 'malformed run');
  });

  it('the API server is unreachable: 503 without its address', async () => {
    const down = await startSink({ KUBE_SERVER: 'http://127.0.0.1:9' });
    try {
      const res = await postEvent(down, prEvent()).expect(503);
      assert.equal(res.body.error.code, 'KUBE_UNAVAILABLE');
      assertNoLeak(res.body, ['127.0.0.1', ':9', 'ECONNREFUSED'], 'down');
    } finally {
      await down.close();
    }
  });
});
