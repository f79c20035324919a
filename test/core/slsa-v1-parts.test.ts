import assert from 'node:assert/strict';
import { resultByproducts } from '../../shared/core/slsa-v1-byproducts.js';
import {
  buildMetadata,
  externalParameters,
  internalParameters,
} from '../../shared/core/slsa-v1-params.js';
import type { RunResult, TektonRun } from '../../shared/core/types.js';
import {
  asJson,
  EXPECTED,
  loadRun,
  readJson,
  skipWithoutChainsTestdata,
} from './slsa-v1-fixtures.js';

interface CaseFile<I, E> {
  cases: { name: string; input: I; expected: E }[];
}

describe('SLSA v1.0 parts against Chains (expected/slsa-v1.0-parts, inline, type-hinting)', function () {
  before(function () {
    skipWithoutChainsTestdata(this);
  });

  const external: [string, TektonRun['kind']][] = [
    ['taskrun1', 'TaskRun'],
    ['taskrun-remote-resolver', 'TaskRun'],
    ['pipelinerun1', 'PipelineRun'],
    ['pipelinerun-remote-resolver', 'PipelineRun'],
  ];
  for (const [name, kind] of external) {
    it(`externalParameters of slsa-v2alpha3/${name}`, () => {
      const expected = readJson(
        `${EXPECTED}/slsa-v1.0-parts/slsa-v2alpha3/${name}.externalParameters.json`
      );
      const run = loadRun('slsa-v2alpha3', name, kind);
      assert.deepStrictEqual(asJson(externalParameters(run)), expected);
    });
  }

  it('internalParameters of slsa-v2alpha2/taskrun1 for both build types', () => {
    const file = readJson(
      `${EXPECTED}/slsa-v1.0-parts/slsa-v2alpha2/taskrun1.internalParameters.json`
    ) as CaseFile<{ buildType: string }, { error: boolean; value: unknown }>;
    const run = loadRun('slsa-v2alpha2', 'taskrun1', 'TaskRun');
    const types: Record<string, 'slsa' | 'slsa-tekton'> = {
      'https://tekton.dev/chains/v2/slsa': 'slsa',
      'https://tekton.dev/chains/v2/slsa-tekton': 'slsa-tekton',
    };
    let checked = 0;
    for (const c of file.cases) {
      const buildType = types[c.input.buildType];
      // An unknown buildType cannot be expressed: BuildOptions and the CLI only accept these two.
      if (!buildType) continue;
      assert.deepStrictEqual(
        asJson(internalParameters(run, buildType)),
        c.expected.value,
        c.name
      );
      checked++;
    }
    assert.equal(checked, 2);
  });

  it('runDetails.metadata: invocationId = uid, times in UTC with nanoseconds', () => {
    const file = readJson(
      `${EXPECTED}/inline/slsa-v1.0-build-metadata.json`
    ) as CaseFile<
      { kind: TektonRun['kind']; metadata: { uid: string }; status: object },
      unknown
    >;
    for (const c of file.cases) {
      const run = { ...c.input, spec: {} } as unknown as TektonRun;
      assert.deepStrictEqual(buildMetadata(run), c.expected, c.name);
    }
  });

  it('byproducts leave out image hints and build artifacts', () => {
    const file = readJson(
      `${EXPECTED}/type-hinting/byproducts-results-without-build-artifacts.json`
    ) as CaseFile<
      { objName: string; prefix: string; results: RunResult[] },
      { byproducts: unknown[] }
    >;
    for (const c of file.cases) {
      const prefix = c.input.prefix.replace(/\/%s\/%s$/, `/${c.input.objName}`);
      assert.deepStrictEqual(
        resultByproducts(prefix, c.input.results),
        c.expected.byproducts,
        c.name
      );
    }
  });
});
