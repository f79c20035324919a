// Loads Tekton Chains fixtures (../shared/chains-testdata) into our v1 model for the SLSA v1.0 tests.
import { readFileSync } from 'node:fs';
import { normaliseRun } from '../../shared/core/tekton.js';
import type {
  PipelineRun,
  RunInput,
  TaskRun,
  TektonRun,
} from '../../shared/core/types.js';
import { attachAsController } from '../fixtures/controller-children.js';

import { CHAINS_TESTDATA } from '../chains-testdata.js';

export {
  CHAINS_TESTDATA,
  skipWithoutChainsTestdata,
} from '../chains-testdata.js';
export const TESTDATA = `${CHAINS_TESTDATA}/pkg/chains/formats/slsa/testdata`;
export const EXPECTED = `${CHAINS_TESTDATA}/expected`;

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

// Fixtures lack metadata.namespace (and some name/uid): fill placeholders, then drop the uid again
// when the fixture had none so runDetails.metadata stays as Chains writes it.
export function loadRun(
  folder: string,
  name: string,
  kind: TektonRun['kind']
): TektonRun {
  const doc = readJson(`${TESTDATA}/${folder}/${name}.json`) as {
    metadata?: Record<string, unknown>;
  };
  const meta = doc.metadata ?? {};
  const hadUid = typeof meta['uid'] === 'string';
  const run = normaliseRun(
    {
      ...doc,
      metadata: { name: 'fixture', uid: 'none', namespace: 'default', ...meta },
    },
    kind
  );
  if (!hadUid) run.metadata.uid = '';
  return run;
}

export function taskRunInput(folder: string, name: string): RunInput {
  return { run: loadRun(folder, name, 'TaskRun'), taskRuns: [] };
}

// Children attached in the given order, as upstream's AppendTaskRun does, with the childReferences and
// ownerReferences the controller would have written (test/fixtures/controller-children.ts). Not through
// makeRunInput: some Chains fixtures give the PipelineRun and its children one uid, which it de-duplicates.
export function pipelineRunInput(
  folder: string,
  name: string,
  children: string[]
): RunInput {
  const run = loadRun(folder, name, 'PipelineRun') as PipelineRun;
  const taskRuns = children.map(
    (c) => loadRun(folder, c, 'TaskRun') as TaskRun
  );
  attachAsController(run, taskRuns);
  return { run, taskRuns };
}

// A v1.0 statement as Chains emits it: plain JSON without our `tektonRun` facts and pipelineTask annotations.
export function chainsV1(statement: unknown): unknown {
  const copy = asJson(statement) as {
    predicate?: {
      buildDefinition?: {
        internalParameters?: Record<string, unknown>;
        resolvedDependencies?: Record<string, unknown>[];
      };
    };
  };
  const def = copy.predicate?.buildDefinition;
  if (def?.internalParameters) delete def.internalParameters['tektonRun'];
  for (const d of def?.resolvedDependencies ?? []) delete d['annotations'];
  return copy;
}

// Plain JSON value of what we built (drops undefined, as serialisation does).
export function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}
