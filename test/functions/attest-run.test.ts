import assert from 'node:assert/strict';
import { makeSyntheticPipeline } from '../fixtures/synthetic-pipeline.js';
import {
  openEnvelope,
  type Json,
  postEvent,
  postStructured,
  startSink,
  type Sink,
} from './sink-harness.js';
import {
  readExamplePipeline,
  type ExamplePipeline,
} from './example-pipeline.js';

const FORMATS = 'slsa/v0.2,slsa/v1.0,tekton';

describe('attestRun: CONTRACT §5 with the kubernetes source', function () {
  this.timeout(30000);
  let sink: Sink;
  let example: ExamplePipeline;
  const byName = (part: string) => example.event(part);

  before(async () => {
    example = await readExamplePipeline();
    sink = await startSink({ FORMATS });
  });
  after(() => sink.close());
  beforeEach(async () => {
    await sink.clear();
    example.serve(sink.kube);
    sink.kube.requests.length = 0;
    sink.kube.fault = undefined;
  });

  it('answers 204 for non-terminal Tekton events and writes nothing', async () => {
    const started = byName('pipelinerun-started');
    for (const type of ['queued', 'started', 'running', 'unknown']) {
      for (const kind of ['taskrun', 'pipelinerun', 'customrun']) {
        await postEvent(sink, started, {
          'Ce-Type': `dev.tekton.event.${kind}.${type}.v1`,
        }).expect(204);
      }
    }
    await postEvent(sink, started, {
      'Ce-Type': 'dev.tekton.event.customrun.successful.v1',
    }).expect(204);
    assert.deepEqual(await sink.files(), []);
    assert.equal(sink.kube.requests.length, 0);
  });

  it('attests each TaskRun and then the PipelineRun (binary mode, v1beta1 bodies), 200 with the stored keys', async () => {
    for (const event of example.events.filter((e) =>
      e.file.includes('-taskrun-')
    )) {
      const res = await postEvent(sink, event).expect(200);
      assert.equal(res.body.stored.length >= 3, true, event.file);
    }
    sink.kube.requests.length = 0;
    const res = await postEvent(sink, byName('pipelinerun-successful')).expect(
      200
    );
    assert.equal(sink.kube.requests.length, 2);
    const uid = (example.runs.pipelineRun.metadata as { uid: string }).uid;
    const prefix = `runs/ci/pipelinerun-build-push-x7k2q-${uid}/`;
    for (const token of ['slsa-v0.2', 'slsa-v1.0', 'tekton']) {
      assert.ok(res.body.stored.includes(`${prefix}${token}.dsse.json`), token);
    }
    const files = await sink.files();
    for (const key of res.body.stored) assert.ok(files.includes(key), key);
    const statement = await openEnvelope(
      sink,
      await sink.read(`${prefix}slsa-v0.2.dsse.json`)
    );
    const tasks = statement.predicate.buildConfig.tasks.map(
      (t: Json) => `${t.name}<-${(t.after ?? []).join('+')}`
    );
    assert.deepEqual(tasks, [
      'git-clone<-',
      'security-scan<-git-clone',
      'unit-tests<-git-clone',
      'image-build<-security-scan+unit-tests',
      'notify<-image-build',
    ]);
    const digest = (statement.subject as Json[])[0].digest.sha256;
    assert.ok(
      files.includes(`sha256/${digest}/pipelinerun-${uid}.slsa-v0.2.dsse.json`)
    );
  });

  it('accepts structured mode and answers duplicates with 200 and no new objects', async () => {
    const event = byName('pipelinerun-successful');
    const first = await postEvent(sink, event).expect(200);
    const before = await Promise.all(
      (await sink.files()).map(async (k) => [
        k,
        JSON.stringify(await sink.read(k)),
      ])
    );
    const again = await postStructured(sink, event).expect(200);
    const retried = await postEvent(sink, event, {
      'Ce-Id': 'a-new-id-after-a-controller-restart',
    }).expect(200);
    assert.deepEqual(again.body.stored, first.body.stored);
    assert.equal(retried.body.created, 0);
    const after = await Promise.all(
      (await sink.files()).map(async (k) => [
        k,
        JSON.stringify(await sink.read(k)),
      ])
    );
    assert.deepEqual(after, before);
  });

  it('answers 400 with a coded JSON error for bad requests, and writes nothing', async () => {
    const prEvent = byName('pipelinerun-successful');
    const ok = JSON.parse(prEvent.body.toString());
    const noUid = structuredClone(ok);
    delete noUid.pipelineRun.metadata.uid;
    const cases: [string, () => ReturnType<typeof postEvent>, string][] = [
      [
        'not a CloudEvent',
        () =>
          sink.http.post('/').set('content-type', 'application/json').send(ok),
        'EVENT_MALFORMED',
      ],
      [
        'unknown type',
        () => postEvent(sink, prEvent, { 'Ce-Type': 'com.example.build.done' }),
        'EVENT_UNSUPPORTED',
      ],
      [
        'missing ce-source',
        () =>
          postEvent(sink, {
            ...prEvent,
            headers: { ...prEvent.headers, 'Ce-Source': '' },
          }),
        'EVENT_MALFORMED',
      ],
      [
        'data without a uid',
        () =>
          postEvent(sink, {
            ...prEvent,
            body: Buffer.from(JSON.stringify(noUid)),
          }),
        'EVENT_MALFORMED',
      ],
      [
        'data of the wrong kind',
        () =>
          postEvent(sink, byName('git-clone'), {
            'Ce-Type': 'dev.tekton.event.pipelinerun.successful.v1',
          }),
        'EVENT_MALFORMED',
      ],
      [
        'a path in the name',
        () =>
          postEvent(sink, {
            ...prEvent,
            body: Buffer.from(
              prEvent.body
                .toString()
                .replace('"name":"build-push-x7k2q"', '"name":"../../etc"')
            ),
          }),
        'EVENT_MALFORMED',
      ],
      [
        'a body over MAX_BODY_BYTES',
        () =>
          postEvent(sink, {
            ...prEvent,
            body: Buffer.from(
              JSON.stringify({ ...ok, pad: 'x'.repeat(9 * 1024 * 1024) })
            ),
          }),
        'EVENT_TOO_LARGE',
      ],
    ];
    for (const [label, send, code] of cases) {
      const res = await send().expect(400);
      assert.equal(res.body.error?.code, code, label);
      assert.equal(typeof res.body.error.message, 'string', label);
    }
    const garbled = await postEvent(sink, {
      ...prEvent,
      body: Buffer.from('{"pipelineRun": {'),
    });
    assert.equal(garbled.status, 400);
    assert.deepEqual(await sink.files(), []);
  });

  it('answers 422 when the run is not in the cluster or was replaced under the same name', async () => {
    const event = byName('pipelinerun-successful');
    sink.kube.setRuns(example.runs.taskRuns);
    const gone = await postEvent(sink, event).expect(422);
    assert.equal(gone.body.error.code, 'RUN_NOT_FOUND');
    const replaced = structuredClone(example.runs.pipelineRun) as Json;
    replaced.metadata.uid = 'a-newer-run-with-the-same-name';
    sink.kube.setRuns([replaced, ...example.runs.taskRuns]);
    const res = await postEvent(sink, event).expect(422);
    // The same answer as for an absent run: the body never tells a caller the real uid (issue 13).
    assert.deepEqual(res.body, gone.body);
    assert.deepEqual(await sink.files(), []);
  });

  it('answers 503 + Retry-After, storing nothing, while a child TaskRun is missing or unfinished; then attests', async () => {
    const event = byName('pipelinerun-successful');
    sink.kube.setRuns([
      example.runs.pipelineRun,
      ...example.runs.taskRuns.filter(
        (tr: Json) => !tr.metadata.name.endsWith('security-scan')
      ),
    ]);
    const missing = await postEvent(sink, event).expect(503);
    assert.equal(missing.headers['retry-after'], '5');
    assert.equal(missing.body.error.code, 'RUN_INCOMPLETE');
    assert.ok(!JSON.stringify(missing.body).includes('security-scan'));
    assert.ok(
      sink.logger.entries.some(
        (e) => e.code === 'RUN_INCOMPLETE' && /security-scan/.test(e.message)
      ),
      'the log names the missing child'
    );
    const running = structuredClone(example.runs.taskRuns[1]) as Json;
    running.status.conditions[0].status = 'Unknown';
    delete running.status.completionTime;
    sink.kube.upsert(running);
    await postEvent(sink, event).expect(503);
    assert.deepEqual(await sink.files(), []);
    example.serve(sink.kube);
    await postEvent(sink, event).expect(200);
  });

  it('signs what the API server says, not what a forged event body claims', async () => {
    const event = byName('pipelinerun-successful');
    const forged = JSON.parse(event.body.toString());
    const evil = `sha256:${'e'.repeat(64)}`;
    forged.pipelineRun.status.pipelineResults = [
      { name: 'IMAGE_URL', value: 'evil.example/app' },
      { name: 'IMAGE_DIGEST', value: evil },
    ];
    forged.pipelineRun.spec.params[1].value = 'f'.repeat(40);
    forged.pipelineRun.status.childReferences = [];
    const res = await postEvent(sink, {
      ...event,
      body: Buffer.from(JSON.stringify(forged)),
    }).expect(200);
    const key = res.body.stored.find(
      (k: string) => k.endsWith('slsa-v0.2.dsse.json') && k.startsWith('runs/')
    );
    const statement = await openEnvelope(sink, await sink.read(key));
    const text = JSON.stringify(statement);
    assert.ok(
      !text.includes('e'.repeat(64)) &&
        !text.includes('evil.example') &&
        !text.includes('f'.repeat(40))
    );
    const real = (example.runs.pipelineRun as Json).status.results.find(
      (r: Json) => r.name === 'IMAGE_DIGEST'
    ).value;
    assert.equal(
      statement.subject[0].digest.sha256,
      real.slice('sha256:'.length)
    );
    assert.equal(statement.predicate.buildConfig.tasks.length, 5);
    assert.ok(!(await sink.files()).some((k) => k.includes('e'.repeat(64))));
  });

  it('costs the same two Kubernetes API calls for PipelineRuns of 5 and 200 tasks', async () => {
    for (const n of [5, 200]) {
      const p = makeSyntheticPipeline(n);
      sink.kube.setRuns([p.pipelineRun, ...p.taskRuns]);
      sink.kube.requests.length = 0;
      const body = JSON.stringify({ pipelineRun: p.pipelineRun });
      const res = await postEvent(sink, {
        file: 'synthetic',
        headers: byName('pipelinerun-successful').headers,
        body: Buffer.from(body),
      }).expect(200);
      assert.equal(sink.kube.requests.length, 2, `${n} tasks`);
      assert.ok(
        res.body.stored.includes(
          `sha256/${p.imageDigest.slice(7)}/pipelinerun-${p.pipelineRun.metadata.uid}.slsa-v0.2.dsse.json`
        )
      );
    }
  });

  it('logs structured lines with the run and event, never the payload', () => {
    const line = sink.logger.entries.find((e) => e.message === 'run attested');
    assert.ok(
      line?.eventId &&
        line.run?.uid &&
        typeof line.durationMs === 'number' &&
        line.stored?.length
    );
    assert.ok(!JSON.stringify(sink.logger.entries).includes('"pipelineSpec"'));
    assert.ok(!JSON.stringify(sink.logger.entries).includes('sink-test-token'));
  });
});
