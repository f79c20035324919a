// Generated requests for attestRun: CloudEvents in binary and structured mode with damaged attributes and data.
import fc from 'fast-check';
import { makePipeline, makeTaskRun } from '../reconcile/runs.js';
import {
  contentType,
  damaged,
  deepJson,
  DELETE,
  headerText,
  setPath,
  wrongValue,
} from './fuzz-common.js';
import type { Sent } from './harness.js';

const done = new Date('2026-05-04T10:00:00Z');
const TASK_RUN = makeTaskRun('fuzz-build', { completedAt: done });
const [PIPELINE_RUN] = makePipeline('fuzz-pipe', 2, { completedAt: done });

// Every field the sink, the normaliser and the statement builders read.
const PATHS = [
  'apiVersion',
  'kind',
  'metadata',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'metadata.labels',
  'metadata.labels.[tekton.dev/pipelineRunUID]',
  'metadata.labels.[triggers.tekton.dev/triggers-eventid]',
  'metadata.annotations',
  'metadata.creationTimestamp',
  'spec',
  'spec.params',
  'spec.params.0',
  'spec.params.0.value',
  'spec.params.0.name',
  'spec.taskRef',
  'spec.taskRef.resolver',
  'spec.taskRef.params',
  'spec.taskSpec',
  'spec.pipelineRef',
  'spec.pipelineSpec',
  'spec.serviceAccountName',
  'spec.workspaces',
  'status',
  'status.conditions',
  'status.conditions.0',
  'status.conditions.0.status',
  'status.conditions.0.type',
  'status.startTime',
  'status.completionTime',
  'status.steps',
  'status.steps.0',
  'status.steps.0.imageID',
  'status.results',
  'status.results.0',
  'status.results.0.value',
  'status.results.1.value',
  'status.results.0.name',
  'status.taskResults',
  'status.pipelineResults',
  'status.taskSpec',
  'status.taskSpec.steps',
  'status.pipelineSpec',
  'status.pipelineSpec.tasks',
  'status.childReferences',
  'status.childReferences.0',
  'status.childReferences.0.name',
  'status.provenance',
  'status.provenance.refSource',
  'status.sidecars',
];
const TYPES = [
  'dev.tekton.event.taskrun.successful.v1',
  'dev.tekton.event.taskrun.failed.v1',
  'dev.tekton.event.pipelinerun.successful.v1',
  'dev.tekton.event.pipelinerun.failed.v1',
  'dev.tekton.event.taskrun.started.v1',
  'dev.tekton.event.customrun.successful.v1',
  'dev.tekton.event.pipelinerun.running.v1',
  'com.example.other',
];

// The data of a Tekton event whose run has one field replaced or deleted (sometimes under the wrong key).
const eventData = fc
  .record({
    pipeline: fc.boolean(),
    path: fc.constantFrom(...PATHS),
    value: fc.oneof(wrongValue, fc.constant(DELETE)),
    mutate: fc.nat(9),
    wrapper: fc.constantFrom('taskRun', 'pipelineRun', 'run', ''),
  })
  .map(({ pipeline, path, value, mutate, wrapper }) => {
    const run = pipeline ? PIPELINE_RUN : TASK_RUN;
    const fixed = mutate === 0 ? run : setPath(run, path, value);
    const key = wrapper || (pipeline ? 'pipelineRun' : 'taskRun');
    return mutate === 1 ? fixed : { [key]: fixed };
  });

const attr = (valid: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 6, arbitrary: valid },
    headerText(60),
    fc.constant(undefined)
  );

const attributes = fc.record({
  specversion: attr(fc.constant('1.0')),
  id: attr(fc.uuid()),
  type: attr(fc.constantFrom(...TYPES)),
  source: attr(fc.constant('/apis///namespaces/ci//fuzz')),
});

const dataText = fc.oneof(
  { weight: 6, arbitrary: eventData.map((d) => JSON.stringify(d)) },
  deepJson.map((deep) => `{"taskRun":${deep}}`),
  fc.constantFrom('[]', 'null', '42', '"x"', '{}', ''),
  // Beyond MAX_BODY_BYTES (the fuzz server runs with 64 KiB).
  fc.integer({ min: 70_000, max: 200_000 }).map((n) =>
    JSON.stringify({
      taskRun: {
        ...TASK_RUN,
        metadata: {
          ...TASK_RUN.metadata,
          annotations: { big: 'x'.repeat(n) },
        },
      },
    })
  )
);

const bytes = (text: string) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(Buffer.from(text)) },
    damaged(text)
  );

// Binary mode: ce-* headers and the data as the body.
const binary = fc
  .tuple(attributes, contentType, dataText.chain(bytes))
  .map(([a, type, body]): Sent => {
    const headers: Record<string, string> = type
      ? { 'content-type': type }
      : {};
    for (const [k, v] of Object.entries(a))
      if (v !== undefined) headers[`ce-${k}`] = v;
    return { headers, body };
  });

// Structured mode: one JSON document carrying the attributes (some of the wrong type) and the data.
const structured = fc
  .tuple(
    attributes,
    eventData,
    fc.dictionary(
      fc.constantFrom(
        'id',
        'type',
        'source',
        'specversion',
        'data',
        'data_base64',
        'datacontenttype'
      ),
      wrongValue,
      { maxKeys: 2 }
    )
  )
  .chain(([a, data, wrong]) =>
    bytes(
      JSON.stringify({
        ...a,
        datacontenttype: 'application/json',
        data,
        ...wrong,
      })
    ).map((body): Sent => ({
      headers: { 'content-type': 'application/cloudevents+json' },
      body,
    }))
  );

// Any request attestRun may receive, including other methods and paths.
export const attestRunRequest: fc.Arbitrary<Sent> = fc
  .tuple(
    fc.oneof({ weight: 3, arbitrary: binary }, structured),
    fc.constantFrom('POST', 'POST', 'POST', 'PUT', 'GET'),
    fc.constantFrom('/', '/', '/x/../y')
  )
  .map(([req, method, path]) => ({
    ...req,
    method,
    path,
    body: method === 'GET' ? Buffer.alloc(0) : req.body,
  }));
