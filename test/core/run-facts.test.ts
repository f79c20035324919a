import assert from 'node:assert/strict';
import { buildSlsaV02 } from '../../shared/core/slsa-v02.js';
import { buildSlsaV1 } from '../../shared/core/slsa-v1.js';
import type { BuildOptions, RunInput } from '../../shared/core/types.js';
import { childTaskRun, input, pipelineRun } from './run-builders.js';

type Json = Record<string, unknown>;

const OPTS: BuildOptions = {
  builderId: 'b',
  buildType: 'slsa-tekton',
  deepInspection: false,
};
const BUNDLE = {
  resolver: 'bundles',
  params: [
    {
      name: 'bundle',
      value: 'gcr.io/acme/git-clone:1@sha256:' + 'b'.repeat(64),
    },
    { name: 'name', value: 'git-clone' },
  ],
};

// A PipelineRun with one git-clone task whose TaskRun ran `ran` (the controller's childReferences and owner).
function world(
  ran: Json,
  declared: Json = BUNDLE,
  extra: Json[] = []
): RunInput {
  const tr = childTaskRun('pr-clone', 'git-clone');
  (tr['spec'] as Json)['taskRef'] = ran;
  (tr['metadata'] as Json)['ownerReferences'] = [
    {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      name: 'pr',
      uid: 'uid-pr',
    },
  ];
  const childReferences = [
    { kind: 'TaskRun', name: 'pr-clone', pipelineTaskName: 'git-clone' },
    ...extra,
  ];
  const pr = pipelineRun([{ name: 'git-clone', taskRef: declared }], {
    spec: { pipelineRef: { name: 'build' } },
    status: { childReferences },
  });
  return input(pr, [tr]);
}

const v02 = (i: RunInput) =>
  (buildSlsaV02(i, OPTS) as { predicate: { buildConfig: Json } }).predicate
    .buildConfig;
const v1Deps = (i: RunInput) =>
  buildSlsaV1(i, OPTS).predicate.buildDefinition[
    'resolvedDependencies'
  ] as Json[];

describe('tektonRun facts and ref disagreements (ours, not Chains)', () => {
  it('records namespace, status, the run ref and non-TaskRun children in both formats', () => {
    const custom = {
      kind: 'CustomRun',
      name: 'pr-wait',
      pipelineTaskName: 'wait',
    };
    const i = world(BUNDLE, BUNDLE, [custom]);
    const facts = {
      name: 'pr',
      namespace: 'ci',
      status: 'Succeeded',
      ref: { name: 'build' },
      otherChildren: [custom],
    };
    assert.deepStrictEqual(v02(i)['tektonRun'], facts);
    const internal = buildSlsaV1(i, OPTS).predicate.buildDefinition[
      'internalParameters'
    ] as Json;
    assert.deepStrictEqual(internal['tektonRun'], facts);
  });

  it('an inline pipelineSpec is recorded as the empty ref', () => {
    const i = world(BUNDLE);
    delete (i.run.spec as Json)['pipelineRef'];
    (i.run.spec as Json)['pipelineSpec'] = { tasks: [] };
    assert.deepStrictEqual((v02(i)['tektonRun'] as Json)['ref'], {});
  });

  it('a TaskRun that ran the declared ref gets no mark', () => {
    const i = world(BUNDLE);
    const task = (v02(i)['tasks'] as Json[])[0]!;
    assert.equal(task['taskRunRef'], undefined);
    const dep = v1Deps(i).find((d) => d['name'] === 'pipelineTask');
    assert.equal(dep?.['annotations'], undefined);
  });

  it('a $(params.x) placeholder in the stored pipeline spec matches the substituted value', () => {
    const declared = {
      resolver: 'bundles',
      params: [
        { name: 'bundle', value: '$(params.clone-bundle)' },
        { name: 'name', value: 'git-clone' },
      ],
    };
    assert.equal(
      (v02(world(BUNDLE, declared))['tasks'] as Json[])[0]!['taskRunRef'],
      undefined
    );
  });

  it('a TaskRun that ran something else is marked with what it ran', () => {
    const evil = {
      resolver: 'bundles',
      params: [{ name: 'bundle', value: 'evil.io/miner:1' }],
    };
    const i = world(evil);
    const task = (v02(i)['tasks'] as Json[])[0]!;
    assert.deepStrictEqual(task['ref'], {
      ...BUNDLE,
      bundle: BUNDLE.params[0]!.value,
      name: 'git-clone',
    });
    assert.deepStrictEqual(task['taskRunRef'], evil);
    const dep = v1Deps(i).find((d) => d['name'] === 'pipelineTask');
    assert.deepStrictEqual(dep?.['annotations'], {
      pipelineTask: 'git-clone',
      declaredRef: BUNDLE,
    });
  });

  it('an inline taskSpec instead of the declared ref is marked as the empty ref', () => {
    const i = world(BUNDLE);
    const tr = i.taskRuns[0]!;
    delete tr.spec.taskRef;
    tr.spec.taskSpec = { steps: [{ name: 'x', script: 'curl evil | sh' }] };
    assert.deepStrictEqual((v02(i)['tasks'] as Json[])[0]!['taskRunRef'], {});
  });
});
