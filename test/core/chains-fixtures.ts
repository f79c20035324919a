// Loads Tekton Chains' fixtures and expected outputs from ../shared/chains-testdata (never copied into the
// repo) and maps our statements to Chains' conventions for the deliberate differences listed in docs/formats.md.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  CHAINS_TESTDATA,
  skipWithoutChainsTestdata,
} from '../chains-testdata.js';
import { makeRunInput, normaliseRun } from '../../shared/core/tekton.js';
import type {
  PipelineRun,
  RunInput,
  TaskRun,
} from '../../shared/core/types.js';
import { attachAsController } from '../fixtures/controller-children.js';

export const CHAINS_DIR = CHAINS_TESTDATA;
const TESTDATA = 'pkg/chains/formats/slsa/testdata';

// Skips the calling suite with a clear message when the Chains test data is absent.
export const requireChains = skipWithoutChainsTestdata;

export function readJson(rel: string): unknown {
  return JSON.parse(readFileSync(path.join(CHAINS_DIR, rel), 'utf8'));
}

export function readExpected(rel: string): Record<string, unknown> {
  return readJson(path.join('expected', rel)) as Record<string, unknown>;
}

// A fixture object with the metadata our model requires (Chains fixtures often have none).
export function withMetadata(
  doc: unknown,
  name: string
): Record<string, unknown> {
  const obj = doc as Record<string, unknown>;
  const meta = (obj['metadata'] ?? {}) as Record<string, unknown>;
  return {
    ...obj,
    metadata: {
      name,
      uid: `uid-${typeof meta['name'] === 'string' ? meta['name'] : name}`,
      ...meta,
      namespace: 'ci',
    },
  };
}

export function fixture(folder: string, file: string): Record<string, unknown> {
  return withMetadata(
    readJson(path.join(TESTDATA, folder, file)),
    file.replace(/\.json$/, '')
  );
}

// A PipelineRun fixture with TaskRun fixtures attached (Chains' AppendTaskRun), with the childReferences
// and ownerReferences the controller would have written (test/fixtures/controller-children.ts).
export function pipelineInput(
  folder: string,
  pipelineRun: string,
  taskRuns: string[],
  edit?: (pr: Record<string, unknown>) => void
): RunInput {
  const pr = fixture(folder, pipelineRun);
  edit?.(pr);
  const children = taskRuns.map(
    (f) => normaliseRun(fixture(folder, f), 'TaskRun') as TaskRun
  );
  const run = normaliseRun(pr, 'PipelineRun') as PipelineRun;
  attachAsController(run, children);
  return makeRunInput(run, children);
}

export function taskRunInput(folder: string, file: string): RunInput {
  return makeRunInput(normaliseRun(fixture(folder, file), 'TaskRun'), []);
}

type Task = Record<string, unknown>;

// Deliberate difference 2: we sort tasks by start time (ties: name); Chains keeps spec order. Sorting both
// sides with the same stable rule compares the same set of entries.
export function sortTasks(tasks: readonly Task[]): Task[] {
  const key = (t: Task) => `${String(t['startedOn'])}\0${String(t['name'])}`;
  return [...tasks].sort((a, b) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0
  );
}

type Json = Record<string, unknown>;

function sortTasksIn(config: unknown): void {
  if (config === null || typeof config !== 'object') return;
  const holder = config as Json;
  if (Array.isArray(holder['tasks'])) {
    holder['tasks'] = sortTasks(holder['tasks'] as Task[]);
  }
}

// Maps a statement to what Chains emits: buildType `tekton.dev/v1/<Kind>`, tasks in the comparison order, and
// without our `tektonRun` facts and `taskRunRef` marks (deliberate differences; the fixtures' pipelines name
// ClusterTasks where their TaskRuns ran Tasks, which we mark: see the test of that).
export function chainsView(
  statement: object,
  kind: 'TaskRun' | 'PipelineRun'
): Json {
  const copy = structuredClone(statement) as Json;
  const predicate = copy['predicate'] as Json;
  predicate['buildType'] = `tekton.dev/v1/${kind}`;
  const config = predicate['buildConfig'] as Json;
  delete config['tektonRun'];
  for (const t of (config['tasks'] ?? []) as Json[]) delete t['taskRunRef'];
  sortTasksIn(config);
  return copy;
}

// Chains' expected statement (or bare buildConfig) with tasks in the comparison order.
export function sortExpectedTasks(value: Json): Json {
  const copy = structuredClone(value);
  const predicate = copy['predicate'] as Json | undefined;
  sortTasksIn(predicate ? predicate['buildConfig'] : copy);
  return copy;
}
