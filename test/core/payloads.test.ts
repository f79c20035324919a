import assert from 'node:assert/strict';
import { buildPayload } from '../../shared/core/payloads.js';
import { buildSlsaV02 } from '../../shared/core/slsa-v02.js';
import type { BuildOptions, RunInput } from '../../shared/core/types.js';
import {
  pipelineRunInput,
  skipWithoutChainsTestdata,
  taskRunInput,
} from './slsa-v1-fixtures.js';

const OPTS: BuildOptions = {
  builderId: 'https://tekton.dev/chains/v2',
  buildType: 'slsa',
  deepInspection: false,
};

const prInput = (): RunInput =>
  pipelineRunInput('slsa-v2alpha4', 'pipelinerun1', ['taskrun1', 'taskrun2']);

describe('buildPayload', function () {
  before(function () {
    skipWithoutChainsTestdata(this);
  });

  it('gives the same bytes for the same input, for every format', () => {
    for (const format of ['slsa/v0.2', 'slsa/v1.0', 'tekton'] as const) {
      const a = buildPayload(prInput(), format, {
        ...OPTS,
        buildType: 'slsa-tekton',
      });
      const b = buildPayload(prInput(), format, {
        ...OPTS,
        buildType: 'slsa-tekton',
      });
      assert.ok(a.body.equals(b.body), format);
      assert.ok(a.body.length > 0);
    }
  });

  it('labels in-toto payloads with their payload and predicate types', () => {
    const v1 = buildPayload(
      taskRunInput('slsa-v2alpha4', 'taskrun1'),
      'slsa/v1.0',
      OPTS
    );
    assert.equal(v1.payloadType, 'application/vnd.in-toto+json');
    assert.equal(v1.predicateType, 'https://slsa.dev/provenance/v1');
    assert.deepStrictEqual(
      v1.subjects,
      (JSON.parse(v1.body.toString()) as { subject: unknown }).subject
    );
    const v02 = buildPayload(
      taskRunInput('slsa-v2alpha4', 'taskrun1'),
      'slsa/v0.2',
      OPTS
    );
    assert.equal(v02.predicateType, 'https://slsa.dev/provenance/v0.2');
    assert.equal(v02.format, 'slsa/v0.2');
  });

  it('tekton format: a TaskRun payload is its status', () => {
    const input = taskRunInput('slsa-v2alpha4', 'taskrun1');
    const p = buildPayload(input, 'tekton', OPTS);
    assert.equal(p.payloadType, 'application/vnd.tekton.run-status+json');
    assert.equal(p.predicateType, p.payloadType);
    assert.deepStrictEqual(
      JSON.parse(p.body.toString()),
      JSON.parse(JSON.stringify(input.run.status))
    );
    // CONTRACT §5: stored under the subjects the in-toto formats find.
    assert.deepStrictEqual(
      p.subjects,
      (buildSlsaV02(input, OPTS) as { subject?: unknown }).subject ?? []
    );
    assert.ok(p.subjects.length > 0);
  });

  it('tekton format: a PipelineRun payload has its status and every child by name, whatever the input order', () => {
    const input = prInput();
    const body = JSON.parse(
      buildPayload(input, 'tekton', OPTS).body.toString()
    ) as {
      status: unknown;
      taskRuns: {
        metadata: { name: string; uid: string; labels: object };
        status: unknown;
      }[];
    };
    assert.deepStrictEqual(Object.keys(body).sort(), ['status', 'taskRuns']);
    assert.deepStrictEqual(
      body.status,
      JSON.parse(JSON.stringify(input.run.status))
    );
    assert.deepStrictEqual(
      body.taskRuns.map((t) => t.metadata.name),
      ['git-clone', 'taskrun-build']
    );
    assert.deepStrictEqual(body.taskRuns[1]!.metadata, {
      labels: { 'tekton.dev/pipelineTask': 'build' },
      name: 'taskrun-build',
      uid: 'abhhf-12354-asjsdbjs23-3435353n',
    });
    const reversed = { ...input, taskRuns: [...input.taskRuns].reverse() };
    assert.ok(
      buildPayload(reversed, 'tekton', OPTS).body.equals(
        buildPayload(input, 'tekton', OPTS).body
      )
    );
  });
});
