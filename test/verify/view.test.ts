import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CHAINS_TESTDATA,
  skipWithoutChainsTestdata,
} from '../chains-testdata.js';
import { readView } from '../../shared/verify/view.js';

const EXPECTED = join(CHAINS_TESTDATA, 'expected');
const INTOTO = 'application/vnd.in-toto+json';
const load = (path: string): unknown =>
  JSON.parse(readFileSync(join(EXPECTED, path), 'utf8'));

describe('verify reads Chains statements', function () {
  before(function () {
    skipWithoutChainsTestdata(this);
  });

  it('reads a Chains v0.2 PipelineRun (tekton.dev/v1/PipelineRun) with its tasks', () => {
    const read = readView(INTOTO, load('slsa-v0.2/pipelinerun1.json'));
    assert.ok(read.ok);
    const { view } = read;
    assert.equal(view.kind, 'PipelineRun');
    assert.equal(view.buildType, 'tekton.dev/v1/PipelineRun');
    assert.equal(view.builderId, 'test_builder-1');
    assert.deepEqual(
      view.subjects.map((s) => s.digest.sha256),
      ['827521c857fdcd4374f4da5442fbae2edb01e7fbae285c3ec15673d4c1daecb7']
    );
    assert.deepEqual(
      view.tasks?.map((t) => [t.name, t.after, t.ref, t.status]),
      [
        [
          'git-clone',
          [],
          { type: 'cluster', name: 'git-clone', kind: 'ClusterTask' },
          'Succeeded',
        ],
        [
          'build',
          ['git-clone'],
          { type: 'cluster', name: 'build', kind: 'ClusterTask' },
          'Succeeded',
        ],
      ]
    );
    assert.deepEqual(view.tasks?.[0]?.source, {
      uri: 'github.com/catalog',
      digest: { sha1: 'x123' },
      entryPoint: 'git-clone.yaml',
    });
    assert.equal(view.finishedOn, '2021-03-29T09:50:15Z');
  });

  it('reads a Chains v0.2 TaskRun and a v1.0 PipelineRun whose buildType `slsa` lists no tasks', () => {
    const tr = readView(INTOTO, load('slsa-v0.2/taskrun1.json'));
    assert.ok(tr.ok);
    assert.equal(tr.view.kind, 'TaskRun');
    assert.ok(tr.view.task);
    const pr = readView(INTOTO, load('slsa-v1.0/pipelinerun1.json'));
    assert.ok(pr.ok);
    assert.equal(pr.view.kind, 'PipelineRun');
    assert.equal(pr.view.tasks, undefined);
    assert.equal(pr.view.invocationId, 'abhhf-12354-asjsdbjs23-3435353n');
    assert.deepEqual(pr.view.params, { IMAGE: 'test.io/test/image' });
  });

  it('refuses payload and predicate types it does not understand', () => {
    assert.deepEqual(readView('text/plain', {}), {
      ok: false,
      code: 'PAYLOAD_TYPE_MISMATCH',
      message:
        'expected payloadType application/vnd.in-toto+json, got "text/plain"',
    });
    const other = readView(INTOTO, {
      predicateType: 'https://example.com/x',
      predicate: {},
    });
    assert.equal(other.ok, false);
    assert.match(
      !other.ok ? other.message : '',
      /predicateType "https:\/\/example.com\/x" is not SLSA provenance/
    );
    const build = readView(INTOTO, {
      predicateType: 'https://slsa.dev/provenance/v0.2',
      predicate: {
        buildType: 'https://github.com/Attestations/GitHubActionsWorkflow@v1',
      },
    });
    assert.match(
      !build.ok ? build.message : '',
      /is not a Tekton PipelineRun or TaskRun type/
    );
  });
});
