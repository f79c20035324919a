// Chains' type-hinting and inline unit cases (expected/type-hinting, expected/inline) against our extractors.
import assert from 'node:assert/strict';
import {
  materialFromImageId,
  pipelineRunMaterials,
  taskRunMaterials,
} from '../../shared/core/materials.js';
import {
  extractBuildArtifacts,
  extractOciImages,
  extractSignableTargets,
  extractStructuredTargets,
  materialsFromInputs,
} from '../../shared/core/result-hints.js';
import { buildSlsaV02 } from '../../shared/core/slsa-v02.js';
import { metadata } from '../../shared/core/slsa-v02-common.js';
import {
  subjectsFromBuildArtifacts,
  subjectsV02,
} from '../../shared/core/subjects.js';
import { makeRunInput, normaliseRun } from '../../shared/core/tekton.js';
import type { RunInput, RunResult, TaskRun } from '../../shared/core/types.js';
import { attachAsController } from '../fixtures/controller-children.js';
import {
  readExpected,
  requireChains,
  withMetadata,
} from './chains-fixtures.js';

type Json = Record<string, unknown>;
interface Case {
  name: string;
  input: Json;
  expected: Json;
}

function cases(file: string): { orderChecked: boolean; cases: Case[] } {
  const data = readExpected(file);
  return {
    orderChecked: data['orderChecked'] === true,
    cases: data['cases'] as Case[],
  };
}

// null (Go nil) and [] both mean "nothing"; unordered lists are compared as multisets.
function norm(value: unknown, ordered: boolean): unknown {
  const list = (value ?? []) as unknown[];
  return ordered
    ? list
    : [...list].sort((a, b) =>
        JSON.stringify(a) < JSON.stringify(b) ? -1 : 1
      );
}

function taskRun(parts: Json): TaskRun {
  return normaliseRun(
    withMetadata({ kind: 'TaskRun', ...parts }, 'tr'),
    'TaskRun'
  ) as TaskRun;
}

function results(input: Json): RunResult[] {
  return input['results'] as RunResult[];
}

function pipelineWithChildren(input: Json, status: Json): RunInput {
  const children = ((input['childTaskRuns'] ?? []) as Json[]).map((c, i) =>
    taskRun({
      metadata: {
        name: `child-${i}`,
        labels: { 'tekton.dev/pipelineTask': c['pipelineTask'] },
      },
      status: { completionTime: c['completionTime'], results: c['results'] },
    })
  );
  const tasks = ((input['childTaskRuns'] ?? []) as Json[]).map((c) => ({
    name: c['pipelineTask'],
  }));
  const pr = withMetadata(
    {
      kind: 'PipelineRun',
      spec: input['spec'] ?? {},
      status: { pipelineSpec: { tasks }, ...status },
    },
    'pr'
  );
  const run = normaliseRun(pr);
  if (run.kind === 'PipelineRun') attachAsController(run, children);
  return makeRunInput(run, children);
}

const refString = (r: { repository: string; sha256: string }) =>
  `${r.repository}@sha256:${r.sha256}`;
const canonical = (ref: string) =>
  ref.replace(/^(img\d|abc)@/, 'index.docker.io/library/$1@');

describe('Chains type-hinting cases', function () {
  before(function () {
    requireChains(this);
  });

  it('extract-subject-digests: IMAGE_URL/IMAGE_DIGEST pairs on TaskRun and PipelineRun', () => {
    for (const c of cases('type-hinting/extract-subject-digests.json').cases) {
      const tr = makeRunInput(
        taskRun({ status: { results: results(c.input) } }),
        []
      );
      const pr = pipelineWithChildren({}, { results: results(c.input) });
      for (const input of [tr, pr]) {
        assert.deepStrictEqual(
          norm(subjectsV02(input, false), false),
          norm(c.expected['subjects'], false),
          c.name
        );
      }
    }
  });

  it('pipelinerun-deep-inspection-subjects: children first, de-duplicated', () => {
    for (const c of cases(
      'type-hinting/pipelinerun-deep-inspection-subjects.json'
    ).cases) {
      const input = pipelineWithChildren(c.input, {
        results: c.input['pipelineRunResults'],
      });
      const got = subjectsV02(input, c.input['deepInspectionEnabled'] === true);
      assert.deepStrictEqual(
        norm(got, false),
        norm(c.expected['subjects'], false),
        c.name
      );
    }
  });

  it('subjects-from-build-artifact: the v1.0 rule, order checked', () => {
    for (const c of cases('type-hinting/subjects-from-build-artifact.json')
      .cases) {
      assert.deepStrictEqual(
        norm(subjectsFromBuildArtifacts(results(c.input)), true),
        norm(c.expected['subjects'], true),
        c.name
      );
    }
  });

  it('taskrun-subject-digests-slsa-v0.2: every valid ARTIFACT_OUTPUTS, ARTIFACT_URI pairs, images', () => {
    for (const c of cases('type-hinting/taskrun-subject-digests-slsa-v0.2.json')
      .cases) {
      const input = makeRunInput(
        taskRun({ status: { results: results(c.input) } }),
        []
      );
      assert.deepStrictEqual(
        norm(subjectsV02(input, false), false),
        norm(c.expected['subjects'], false)
      );
    }
  });

  it('OCI references from IMAGE_*, IMAGES and build-artifact outputs (normalised names)', () => {
    for (const file of [
      'type-hinting/extract-oci-images-from-results.json',
      'type-hinting/oci-artifact-extract-objects.json',
    ]) {
      for (const c of cases(file).cases) {
        const got = extractOciImages(results(c.input)).map(refString);
        const want = (c.expected['references'] as string[]).map(canonical);
        assert.deepStrictEqual(norm(got, false), norm(want, false), c.name);
      }
    }
  });

  it('ARTIFACT_URI/DIGEST, structured targets, build artifacts and ARTIFACT_INPUTS materials', () => {
    for (const c of cases(
      'type-hinting/extract-signable-target-from-results.json'
    ).cases) {
      assert.deepStrictEqual(
        norm(extractSignableTargets(results(c.input)), false),
        norm(c.expected['signables'], false)
      );
    }
    for (const c of cases(
      'type-hinting/extract-structured-target-from-results.json'
    ).cases) {
      for (const marker of ['ARTIFACT_INPUTS', 'ARTIFACT_OUTPUTS'] as const) {
        assert.deepStrictEqual(
          norm(extractStructuredTargets(results(c.input), marker), false),
          norm(c.expected[marker], false)
        );
      }
    }
    for (const c of cases(
      'type-hinting/extract-build-artifacts-from-results.json'
    ).cases) {
      assert.deepStrictEqual(
        norm(extractBuildArtifacts(results(c.input)), true),
        norm(c.expected['buildArtifacts'], true),
        c.name
      );
    }
    for (const c of cases(
      'type-hinting/retrieve-materials-from-structured-results.json'
    ).cases) {
      assert.deepStrictEqual(
        materialsFromInputs(results(c.input)),
        c.expected['materials']
      );
    }
    for (const c of cases('type-hinting/is-structured-result.json').cases) {
      const got =
        extractStructuredTargets(
          [c.input['result'] as RunResult],
          'ARTIFACT_OUTPUTS'
        ).length === 1;
      assert.equal(got, c.expected['isStructured'], c.name);
    }
  });

  it('task-materials and material-from-image-id', () => {
    for (const c of cases('type-hinting/task-materials.json').cases) {
      assert.deepStrictEqual(
        taskRunMaterials(taskRun(c.input)),
        c.expected['materials'],
        c.name
      );
    }
    for (const c of cases('type-hinting/material-from-image-id.json').cases) {
      assert.deepStrictEqual(
        materialFromImageId(c.input['imageID']) ?? null,
        c.expected['material'],
        c.name
      );
    }
  });

  it('pipeline-materials-from-params-and-results: git precedence and deep inspection', () => {
    for (const c of cases(
      'type-hinting/pipeline-materials-from-params-and-results.json'
    ).cases) {
      const status = (c.input['status'] ?? {}) as Json;
      const pipelineSpec = { ...((status['pipelineSpec'] ?? {}) as Json) };
      const input = pipelineWithChildren(c.input, {
        ...status,
        pipelineSpec: { ...pipelineSpec, tasks: pipelineSpec['tasks'] ?? [] },
      });
      const got = pipelineRunMaterials(
        input,
        c.input['deepInspectionEnabled'] === true
      );
      assert.deepStrictEqual(
        norm(got, false),
        norm(c.expected['materials'], false),
        c.name
      );
    }
  });

  it('inline: TaskRun invocation, buildConfig and metadata', () => {
    const statementOf = (input: Json) =>
      (
        buildSlsaV02(makeRunInput(taskRun(input), []), {
          builderId: 'b',
          buildType: 'slsa',
          deepInspection: false,
        }) as { predicate: Json }
      ).predicate;
    for (const c of cases('inline/slsa-v0.2-taskrun-invocation.json').cases) {
      assert.deepStrictEqual(statementOf(c.input)['invocation'], c.expected);
    }
    for (const c of cases('inline/slsa-v0.2-taskrun-buildconfig.json').cases) {
      const { tektonRun, ...chains } = statementOf(c.input)[
        'buildConfig'
      ] as Json;
      assert.ok(tektonRun, 'our tektonRun facts are recorded');
      assert.deepStrictEqual(chains, c.expected);
    }
    for (const c of cases('inline/slsa-v0.2-taskrun-metadata.json').cases) {
      assert.deepStrictEqual(metadata(taskRun(c.input)), c.expected, c.name);
    }
  });
});
