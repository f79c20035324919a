import assert from 'node:assert/strict';
import { loadConfig } from '../../../shared/config.js';
import { createRunSource } from '../../../shared/kube/create-run-source.js';
import type { RunSource } from '../../../shared/kube/run-source.js';
import { EXAMPLES, readExampleRuns } from '../../../scripts/example-events.js';
import type { Json } from '../../functions/sink-harness.js';
import {
  startKubeServer,
  type KubeStandIn,
} from '../../stand-ins/kube-server.js';

const TOKEN = 'kube-list-token';

// The child LIST by tekton.dev/pipelineRunUID is a fetch optimisation that any CI user can stuff with
// labelled TaskRuns: it is paged, capped, and what it misses is fetched by name from childReferences.
describe('KubeRunSource: the child LIST is paged and capped (issue 13)', function () {
  this.timeout(60000);
  let kube: KubeStandIn;
  let source: RunSource;
  const warnings: { message: string; fields: Record<string, unknown> }[] = [];
  let example: Awaited<ReturnType<typeof readExampleRuns>>;
  const pr = () => example.pipelineRun as Json;
  const ref = () => ({ kind: 'pipelinerun' as const, ...pr().metadata });
  const lists = () => kube.requests.filter((r) => r.path.endsWith('/taskruns'));

  // n TaskRuns labelled with the victim's uid, sorted before the genuine children (names start with "a-").
  function decoys(n: number): Json[] {
    const uid = pr().metadata.uid;
    return Array.from({ length: n }, (_, i) => ({
      apiVersion: 'tekton.dev/v1',
      kind: 'TaskRun',
      metadata: {
        name: `a-decoy-${String(i).padStart(5, '0')}`,
        namespace: 'ci',
        uid: `decoy-${i}`,
        labels: { 'tekton.dev/pipelineRunUID': uid },
      },
      spec: {},
      status: {},
    }));
  }

  before(async () => {
    kube = await startKubeServer({ token: TOKEN });
    example = await readExampleRuns(EXAMPLES.pipeline);
    const config = loadConfig({ KUBE_SERVER: kube.url, KUBE_TOKEN: TOKEN });
    source = await createRunSource('kubernetes', config.kube, (message, f) =>
      warnings.push({ message, fields: f })
    );
  });
  after(() => kube.close());
  beforeEach(() => {
    kube.requests.length = 0;
    kube.fault = undefined;
    warnings.length = 0;
  });

  it('asks for pages of 500 and follows continue; decoys are ignored, never an error', async () => {
    kube.setRuns([pr(), ...example.taskRuns, ...decoys(1200)]);
    const input = await source.fetch(ref());
    assert.equal(input.taskRuns.length, 5);
    assert.equal(input.ignored?.length, 1200);
    assert.ok(
      input.ignored.every((i) => i.reason === 'not-in-child-references')
    );
    assert.deepEqual(
      lists().map((r) => r.query.limit),
      ['500', '500', '500']
    );
    assert.ok(lists()[1]!.query.continue);
  });

  it('stops after 5000 listed items and fetches the genuine children it missed by name', async () => {
    kube.setRuns([pr(), ...example.taskRuns, ...decoys(5200)]);
    const input = await source.fetch(ref());
    assert.equal(lists().length, 10);
    assert.deepEqual(
      input.taskRuns.map((t) => t.metadata.name).sort(),
      example.taskRuns.map((t) => (t as Json).metadata.name).sort()
    );
    const gets = kube.requests.filter((r) => /\/taskruns\/.+/.test(r.path));
    assert.equal(gets.length, 5);
    assert.equal(input.ignored?.length, 5000);
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.fields['listed'], 5000);
  });

  it('an expired continue token (410) ends the LIST; the children it missed are fetched by name', async () => {
    kube.setRuns([pr(), ...example.taskRuns, ...decoys(700)]);
    kube.fault = (req) =>
      req.path.endsWith('/taskruns') && req.query.continue
        ? { status: 410 }
        : undefined;
    const input = await source.fetch(ref());
    assert.equal(input.taskRuns.length, 5);
    assert.equal(input.ignored?.length, 500);
    assert.equal(warnings.length, 1);
  });

  it('costs two calls in the normal case', async () => {
    kube.setRuns([pr(), ...example.taskRuns]);
    const input = await source.fetch(ref());
    assert.equal(input.taskRuns.length, 5);
    assert.equal(kube.requests.length, 2);
    assert.deepEqual(input.ignored, []);
    assert.deepEqual(warnings, []);
  });

  it('a failing GET by name is KUBE_UNAVAILABLE; an unreadable object that claims the run is RUN_INVALID', async () => {
    const unlabelled = example.taskRuns.map((tr) => {
      const copy = structuredClone(tr) as Json;
      delete copy.metadata.labels['tekton.dev/pipelineRunUID'];
      return copy;
    });
    kube.setRuns([pr(), ...unlabelled]);
    kube.fault = (req) =>
      /\/taskruns\/.+-notify$/.test(req.path) ? { status: 500 } : undefined;
    await assert.rejects(source.fetch(ref()), { code: 'KUBE_UNAVAILABLE' });
    kube.fault = undefined;
    const broken = structuredClone(example.taskRuns[0]) as Json;
    broken.spec.params = 'not a list';
    kube.upsert(broken);
    await assert.rejects(source.fetch(ref()), { code: 'RUN_INVALID' });
  });
});
