import assert from 'node:assert/strict';
import { decodePayload } from '../../shared/core/dsse.js';
import { postEvent, startSink, type Json, type Sink } from './sink-harness.js';
import {
  readExamplePipeline,
  type ExamplePipeline,
} from './example-pipeline.js';
import { startEmulated, type Emulated, type Inbox } from './signal-harness.js';

const FORMATS = 'slsa/v0.2,slsa/v1.0';

describe('attestRun: the attested signal on the Pub/Sub emulator', function () {
  this.timeout(90_000);
  let ps: Emulated;
  let sink: Sink;
  let inbox: Inbox;
  let example: ExamplePipeline;
  let uid: string;
  let prefix: string;

  const startSignalSink = (topic: string) =>
    startSink(
      { FORMATS, ATTESTED_TOPIC: ps.topicName(topic) },
      { pubsubApiEndpoint: ps.emulator.host }
    );

  before(async () => {
    ps = await startEmulated();
    await ps.createTopic('attested');
    inbox = await ps.subscribe('attested', 'release-waits');
    example = await readExamplePipeline();
    uid = (example.runs.pipelineRun.metadata as { uid: string }).uid;
    prefix = `runs/ci/pipelinerun-build-push-x7k2q-${uid}/`;
    sink = await startSignalSink('attested');
    example.serve(sink.kube);
  });
  after(async () => {
    await sink?.close();
    await ps?.close();
  });

  // The sha256 subjects of the stored statements, as the signal lists them.
  const storedSubjects = async () => {
    const names = new Map<string, string>();
    for (const token of ['slsa-v0.2', 'slsa-v1.0']) {
      const env = await sink.read(`${prefix}${token}.dsse.json`);
      const statement = JSON.parse(decodePayload(env).toString());
      for (const s of statement.subject as Json[])
        names.set(s.digest.sha256, s.name);
    }
    return [...names]
      .map(([sha256, name]) => ({ name, digest: { sha256 } }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  };

  it('publishes one message for a PipelineRun, with the exact shape, and stores its marker last', async () => {
    const res = await postEvent(sink, example.event('pipelinerun-successful'));
    assert.equal(res.status, 200);
    const [got, ...more] = await inbox.settle(1);
    assert.ok(got, 'one message');
    assert.equal(more.length, 0);
    const subjects = await storedSubjects();
    assert.ok(subjects.length > 0);
    assert.deepEqual(Object.keys(got.message), [
      'type',
      'run',
      'subjects',
      'keys',
      'formats',
      'store',
    ]);
    assert.deepEqual(got.message, {
      type: 'tekton-provenance.attested.v1',
      run: {
        kind: 'PipelineRun',
        namespace: 'ci',
        name: 'build-push-x7k2q',
        uid,
      },
      subjects,
      keys: res.body.stored,
      formats: ['slsa/v0.2', 'slsa/v1.0'],
      store: sink.dir,
    });
    assert.deepEqual(got.attributes, {
      type: 'tekton-provenance.attested.v1',
      kind: 'PipelineRun',
      uid,
      namespace: 'ci',
    });
    const marker = await sink.read(`${prefix}attested.signal.json`);
    assert.equal(
      marker.payloadType,
      'application/vnd.tekton-provenance.signal+json'
    );
    assert.deepEqual(marker.signatures, []);
    assert.deepEqual(decodePayload(marker), got.data);
    const files = await sink.files();
    for (const key of res.body.stored) assert.ok(files.includes(key), key);
    assert.ok(!res.body.stored.some((k: string) => k.endsWith('.signal.json')));
  });

  it('publishes nothing more when the same run is delivered again (same or new Ce-Id)', async () => {
    const before = inbox.received.length;
    const marker = JSON.stringify(
      await sink.read(`${prefix}attested.signal.json`)
    );
    const event = example.event('pipelinerun-successful');
    const again = await postEvent(sink, event).expect(200);
    await postEvent(sink, event, {
      'Ce-Id': 'redelivered-after-restart',
    }).expect(200);
    assert.equal(again.body.created, 0);
    const received = await inbox.settle(before + 1, 0, 3000);
    assert.equal(received.length, before, 'no second message');
    assert.equal(
      JSON.stringify(await sink.read(`${prefix}attested.signal.json`)),
      marker
    );
  });

  it('answers 503 SIGNAL_PUBLISH_FAILED while the topic is missing, marks nothing, and publishes once on redelivery', async () => {
    const late = await startSignalSink('attested-late');
    try {
      example.serve(late.kube);
      const event = example.event('pipelinerun-successful');
      const refused = await postEvent(late, event).expect(503);
      assert.equal(refused.body.error.code, 'SIGNAL_PUBLISH_FAILED');
      assert.equal(refused.headers['retry-after'], '5');
      const files = await late.files();
      assert.ok(
        files.includes(`${prefix}slsa-v0.2.dsse.json`),
        'keys stored first'
      );
      assert.ok(
        !files.some((f) => f.endsWith('attested.signal.json')),
        'no marker'
      );
      await ps.createTopic('attested-late');
      const lateInbox = await ps.subscribe('attested-late', 'late-waits');
      const ok = await postEvent(late, event).expect(200);
      assert.equal(ok.body.created, 0, 'nothing signed again');
      const received = await lateInbox.settle(1);
      assert.equal(received.length, 1);
      assert.equal((received[0]!.message.run as Json).uid, uid);
      assert.ok((await late.files()).includes(`${prefix}attested.signal.json`));
      await postEvent(late, event).expect(200);
      assert.equal((await lateInbox.settle(2, 0, 3000)).length, 1);
    } finally {
      await late.close();
    }
  });
});
