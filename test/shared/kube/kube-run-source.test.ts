import assert from 'node:assert/strict';
import { loadConfig } from '../../../shared/config.js';
import { ProvenanceError, SourceError } from '../../../shared/core/errors.js';
import { createRunSource } from '../../../shared/kube/create-run-source.js';
import type { RunSource } from '../../../shared/kube/run-source.js';
import { EXAMPLES, readExampleRuns } from '../../../scripts/example-events.js';
import type { Json } from '../../functions/sink-harness.js';
import { makeSyntheticPipeline } from '../../fixtures/synthetic-pipeline.js';
import {
  faultTimes,
  startKubeServer,
  type KubeStandIn,
} from '../../stand-ins/kube-server.js';

const TOKEN = 'kube-test-token';

async function assertRejectsWithCode(
  p: Promise<unknown>,
  cls: new (...a: never[]) => Error,
  code: string
) {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof cls, `expected ${cls.name}, got ${String(err)}`);
    assert.equal((err as { code?: string }).code, code);
    return true;
  });
}

describe('KubeRunSource against the kube stand-in (real @kubernetes/client-node)', () => {
  let kube: KubeStandIn;
  let source: RunSource;
  let example: Awaited<ReturnType<typeof readExampleRuns>>;
  const meta = (o: Record<string, unknown>) =>
    o.metadata as { name: string; namespace: string; uid: string };

  before(async () => {
    kube = await startKubeServer({ token: TOKEN });
    example = await readExampleRuns(EXAMPLES.pipeline);
    const config = loadConfig({
      KUBE_SERVER: kube.url,
      KUBE_TOKEN: TOKEN,
      KUBE_TIMEOUT_MS: '300',
    });
    source = await createRunSource('kubernetes', config.kube);
  });
  after(() => kube.close());
  beforeEach(() => {
    kube.setRuns([example.pipelineRun, ...example.taskRuns]);
    kube.requests.length = 0;
    kube.fault = undefined;
  });

  it('reads a PipelineRun and all its TaskRuns in one GET and one LIST by pipelineRunUID', async () => {
    const { name, namespace, uid } = meta(example.pipelineRun);
    const input = await source.fetch({
      kind: 'pipelinerun',
      namespace,
      name,
      uid,
    });
    assert.equal(input.run.metadata.uid, uid);
    assert.equal(input.taskRuns.length, 5);
    // The GET and the LIST are sent concurrently, so their arrival order is not part of the contract.
    assert.deepEqual(
      kube.requests
        .map((r) => `${r.path}?${r.query.labelSelector ?? ''}`)
        .sort(),
      [
        `/apis/tekton.dev/v1/namespaces/ci/pipelineruns/${name}?`,
        `/apis/tekton.dev/v1/namespaces/ci/taskruns?tekton.dev/pipelineRunUID=${uid}`,
      ]
    );
    assert.ok(kube.requests.every((r) => r.token === TOKEN));
  });

  it('costs two API calls for 5 and for 200 tasks', async () => {
    for (const n of [5, 200]) {
      const p = makeSyntheticPipeline(n);
      kube.setRuns([p.pipelineRun, ...p.taskRuns]);
      kube.requests.length = 0;
      const input = await source.fetch({
        kind: 'pipelinerun',
        ...p.pipelineRun.metadata,
      });
      assert.equal(input.taskRuns.length, n);
      assert.equal(kube.requests.length, 2, `${n} tasks`);
    }
  });

  it('reads a TaskRun with one GET', async () => {
    const tr = example.taskRuns[0]!;
    const input = await source.fetch({ kind: 'taskrun', ...meta(tr) });
    assert.equal(input.run.kind, 'TaskRun');
    assert.equal(kube.requests.length, 1);
  });

  it('without the uid label (Tekton < v0.63, or labels removed) GETs each childReferences TaskRun by name', async () => {
    const old = example.taskRuns.map((tr) => {
      const copy = structuredClone(tr) as Json;
      delete copy.metadata.labels['tekton.dev/pipelineRunUID'];
      return copy;
    });
    const stranger: Json = structuredClone(old[0]);
    stranger.metadata.name = 'same-name-other-owner';
    stranger.metadata.uid = 'other-uid';
    stranger.metadata.ownerReferences[0].uid =
      'an-older-run-with-the-same-name';
    kube.setRuns([example.pipelineRun, ...old, stranger]);
    const input = await source.fetch({
      kind: 'pipelinerun',
      ...meta(example.pipelineRun),
    });
    assert.equal(input.taskRuns.length, 5);
    const gets = kube.requests.filter((r) => /\/taskruns\/./.test(r.path));
    assert.deepEqual(
      gets.map((r) => r.path.split('/').pop()).sort(),
      old.map((tr) => tr.metadata.name).sort()
    );
    assert.equal(kube.requests.length, 7);
  });

  it('refuses a run whose uid differs from the event (replaced under the same name)', async () => {
    const ref = {
      kind: 'pipelinerun' as const,
      ...meta(example.pipelineRun),
      uid: 'another-uid',
    };
    await assertRejectsWithCode(
      source.fetch(ref),
      ProvenanceError,
      'RUN_NOT_FOUND'
    );
  });

  it('maps 404 to RUN_NOT_FOUND', async () => {
    const ref = {
      kind: 'pipelinerun' as const,
      namespace: 'ci',
      name: 'gone',
      uid: 'u-1',
    };
    await assertRejectsWithCode(
      source.fetch(ref),
      ProvenanceError,
      'RUN_NOT_FOUND'
    );
  });

  for (const [label, fault] of [
    ['500', { status: 500 }],
    ['503', { status: 503 }],
    ['a reset connection', { reset: true as const }],
    ['a timeout', { delayMs: 1500 }],
  ] as const) {
    it(`maps ${label} to KUBE_UNAVAILABLE`, async () => {
      kube.fault = faultTimes(1, fault);
      const ref = {
        kind: 'pipelinerun' as const,
        ...meta(example.pipelineRun),
      };
      await assertRejectsWithCode(
        source.fetch(ref),
        SourceError,
        'KUBE_UNAVAILABLE'
      );
      const input = await source.fetch(ref);
      assert.equal(input.taskRuns.length, 5);
    });
  }

  it('fails the LIST as KUBE_UNAVAILABLE too', async () => {
    kube.fault = (req) =>
      req.path.endsWith('/taskruns') ? { status: 500 } : undefined;
    await assertRejectsWithCode(
      source.fetch({ kind: 'pipelinerun', ...meta(example.pipelineRun) }),
      SourceError,
      'KUBE_UNAVAILABLE'
    );
  });

  it('is refused by the API server without the right token', async () => {
    const config = loadConfig({ KUBE_SERVER: kube.url, KUBE_TOKEN: 'wrong' });
    const bad = await createRunSource('kubernetes', config.kube);
    await assertRejectsWithCode(
      bad.fetch({ kind: 'taskrun', ...meta(example.taskRuns[0]!) }),
      SourceError,
      'KUBE_UNAVAILABLE'
    );
  });
});
