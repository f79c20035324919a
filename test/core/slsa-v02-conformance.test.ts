// Conformance with Tekton Chains' SLSA v0.2 (`in-toto`) output for Chains' own fixtures, compared
// semantically after mapping the deliberate differences (docs/formats.md).
import assert from 'node:assert/strict';
import { buildSlsaV02 } from '../../shared/core/slsa-v02.js';
import { pipelineRunMaterials } from '../../shared/core/materials.js';
import { subjectsV02 } from '../../shared/core/subjects.js';
import type { BuildOptions } from '../../shared/core/types.js';
import {
  chainsView,
  pipelineInput,
  readExpected,
  requireChains,
  sortExpectedTasks,
  taskRunInput,
} from './chains-fixtures.js';

const V1 = 'pipeline-v1';
const opts = (builderId: string, deepInspection = false): BuildOptions => ({
  builderId,
  buildType: 'slsa',
  deepInspection,
});

describe('SLSA v0.2 conformance with Chains fixtures', function () {
  before(function () {
    requireChains(this);
  });

  for (const [file, builder] of [
    ['taskrun1', 'test_builder-1'],
    ['taskrun2', 'test_builder-2'],
    ['taskrun-multiple-subjects', 'test_builder-multiple'],
  ] as const) {
    it(`TaskRun ${file} matches expected/slsa-v0.2/${file}.json`, () => {
      const statement = buildSlsaV02(
        taskRunInput(V1, `${file}.json`),
        opts(builder)
      );
      assert.deepStrictEqual(
        chainsView(statement, 'TaskRun'),
        readExpected(`slsa-v0.2/${file}.json`)
      );
    });
  }

  for (const file of ['pipelinerun1', 'pipelinerun-childrefs']) {
    it(`PipelineRun ${file} matches expected/slsa-v0.2/${file}.json`, () => {
      const input = pipelineInput(V1, `${file}.json`, [
        'taskrun1.json',
        'taskrun2.json',
      ]);
      const statement = buildSlsaV02(input, opts('test_builder-1'));
      assert.deepStrictEqual(
        chainsView(statement, 'PipelineRun'),
        sortExpectedTasks(readExpected(`slsa-v0.2/${file}.json`))
      );
    });
  }

  it('pipelinerun1 parts: invocation, metadata, subjects, materials', () => {
    const input = pipelineInput(V1, 'pipelinerun1.json', [
      'taskrun1.json',
      'taskrun2.json',
      'taskrun3.json',
    ]);
    const predicate = (
      buildSlsaV02(input, opts('b')) as { predicate: Record<string, unknown> }
    ).predicate;
    assert.deepStrictEqual(
      predicate['invocation'],
      readExpected('slsa-v0.2/pipelinerun1.invocation.json')
    );
    assert.deepStrictEqual(
      predicate['metadata'],
      readExpected('slsa-v0.2/pipelinerun1.metadata.json')
    );
    assert.deepStrictEqual(
      subjectsV02(input, false),
      readExpected('slsa-v0.2/pipelinerun1.subjects.json')
    );
    const two = pipelineInput(V1, 'pipelinerun1.json', [
      'taskrun1.json',
      'taskrun2.json',
    ]);
    assert.deepStrictEqual(
      pipelineRunMaterials(two, false),
      readExpected('slsa-v0.2/pipelinerun1.materials.json')
    );
    const structured = pipelineInput(
      V1,
      'pipelinerun_structured_results.json',
      ['taskrun1.json', 'taskrun2.json']
    );
    assert.deepStrictEqual(
      pipelineRunMaterials(structured, false),
      readExpected('slsa-v0.2/pipelinerun_structured_results.materials.json')
    );
  });

  it('buildConfig with a second TaskRun per task, and with mismatched-step TaskRuns left out', () => {
    const expected = sortExpectedTasks(
      readExpected('slsa-v0.2/pipelinerun1.buildConfig.json')
    );
    for (const extra of [[], ['taskrun4.json', 'taskrun5.json']]) {
      const input = pipelineInput(V1, 'pipelinerun1.json', [
        'taskrun1.json',
        'taskrun2.json',
        'taskrun3.json',
        ...extra,
      ]);
      const statement = chainsView(
        buildSlsaV02(input, opts('b')),
        'PipelineRun'
      );
      assert.deepStrictEqual(
        (statement['predicate'] as Record<string, unknown>)['buildConfig'],
        expected
      );
    }
    assert.deepStrictEqual(
      expected,
      sortExpectedTasks(
        readExpected(
          'slsa-v0.2/pipelinerun1.buildConfig.with-mismatched-taskruns.json'
        )
      )
    );
  });

  it('task order cases: after from params, runAfter, when.input and when.values', () => {
    const file = readExpected(
      'slsa-v0.2/pipelinerun1.buildConfig.task-order.json'
    );
    for (const c of file['cases'] as {
      name: string;
      input: Record<string, unknown>;
      expected: Record<string, unknown>;
    }[]) {
      const input = pipelineInput(
        V1,
        'pipelinerun1.json',
        ['taskrun1.json', 'taskrun2.json', 'taskrun3.json'],
        (pr) => {
          const tasks = (
            (pr['status'] as Record<string, unknown>)['pipelineSpec'] as {
              tasks: unknown[];
            }
          ).tasks;
          tasks[1] = c.input['replaceStatusPipelineSpecTasks[1]'];
        }
      );
      const statement = chainsView(
        buildSlsaV02(input, opts('b')),
        'PipelineRun'
      );
      assert.deepStrictEqual(
        (statement['predicate'] as Record<string, unknown>)['buildConfig'],
        sortExpectedTasks(c.expected),
        c.name
      );
    }
  });
});
