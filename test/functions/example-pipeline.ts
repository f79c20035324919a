// The shipped example pipeline (examples/pipeline) as the function tests use it.
import {
  EXAMPLES,
  readExampleEvents,
  readExampleRuns,
  type ExampleEvent,
} from '../../scripts/example-events.js';
import type { KubeStandIn } from '../stand-ins/kube-server.js';

export type ExampleRuns = Awaited<ReturnType<typeof readExampleRuns>>;

// Its recorded Tekton deliveries and the v1 objects the API server holds.
export interface ExamplePipeline {
  events: ExampleEvent[];
  runs: ExampleRuns;
  // The first delivery whose file name contains part, e.g. 'pipelinerun-successful'.
  event(part: string): ExampleEvent;
  // Makes the kube stand-in hold exactly the PipelineRun and its TaskRuns.
  serve(kube: KubeStandIn): void;
}

// Reads the example's deliveries and runs once per suite.
export async function readExamplePipeline(): Promise<ExamplePipeline> {
  const events = await readExampleEvents(EXAMPLES.pipeline);
  const runs = await readExampleRuns(EXAMPLES.pipeline);
  return {
    events,
    runs,
    event: (part) => {
      const found = events.find((e) => e.file.includes(part));
      if (!found) throw new Error(`no example delivery named *${part}*`);
      return found;
    },
    serve: (kube) => kube.setRuns([runs.pipelineRun, ...runs.taskRuns]),
  };
}
