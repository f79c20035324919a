// Child of attest-run-signal-off.test.ts: attests the example PipelineRun with ATTESTED_TOPIC unset in a
// fresh process and prints what it stored and whether @google-cloud/pubsub was ever loaded.
import { createRequire } from 'node:module';
import { readExamplePipeline } from './example-pipeline.js';
import { postEvent, startSink } from './sink-harness.js';

// CommonJS packages imported from ESM still land in the one require cache.
const pubsubModules = () =>
  Object.keys(createRequire(import.meta.url).cache).filter((path) =>
    path.includes('/node_modules/@google-cloud/pubsub/')
  ).length;

const sink = await startSink({ FORMATS: 'slsa/v0.2' });
const example = await readExamplePipeline();
example.serve(sink.kube);
const res = await postEvent(sink, example.event('pipelinerun-successful'));
const files = await sink.files();
const before = pubsubModules();
// The positive control: the same check does see the library once it is imported.
await import('@google-cloud/pubsub');
const report = { status: res.status, files, before, after: pubsubModules() };
process.stdout.write(`${JSON.stringify(report)}\n`);
await sink.close();
