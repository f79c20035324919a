// The `event` source (local use): trusts the run in the CloudEvent and remembers finished TaskRuns as children.
import { EventError } from '../core/errors.js';
import { isObject } from '../core/tekton-shape.js';
import { makeRunInput } from '../core/tekton.js';
import type { RunInput, TaskRun, TektonRun } from '../core/types.js';
import type { RunRef, RunSource } from './run-source.js';

export interface EventRunSourceOptions {
  // How many PipelineRuns' children are remembered (oldest forgotten first).
  maxPipelineRuns?: number;
  // How many TaskRuns are remembered per PipelineRun.
  maxTaskRunsPerPipelineRun?: number;
}

// An event carries no child TaskRuns, so the terminal TaskRun events seen earlier are served as children.
export class EventRunSource implements RunSource {
  readonly name = 'event';
  private readonly children = new Map<string, Map<string, TaskRun>>();
  private readonly maxRuns: number;
  private readonly maxChildren: number;

  constructor(opts: EventRunSourceOptions = {}) {
    this.maxRuns = opts.maxPipelineRuns ?? 1000;
    this.maxChildren = opts.maxTaskRunsPerPipelineRun ?? 2000;
  }

  fetch(ref: RunRef, eventRun?: TektonRun): Promise<RunInput> {
    if (!eventRun) {
      return Promise.reject(
        new EventError(
          'EVENT_MALFORMED',
          `expected the event to carry ${ref.kind} ${ref.namespace}/${ref.name}, got no run`
        )
      );
    }
    if (eventRun.kind === 'TaskRun') {
      this.remember(eventRun);
      return Promise.resolve(makeRunInput(eventRun, []));
    }
    const seen = this.children.get(eventRun.metadata.uid);
    return Promise.resolve(makeRunInput(eventRun, [...(seen?.values() ?? [])]));
  }

  // Only the `fetch` of terminal TaskRun events reaches here, so everything remembered is finished.
  // Filed under the uid its ownerReference names (not the user-writable pipelineRunUID label);
  // makeRunInput still keeps only those the PipelineRun's childReferences name.
  private remember(taskRun: TaskRun): void {
    for (const parent of ownerUids(taskRun)) this.rememberFor(parent, taskRun);
  }

  private rememberFor(parent: string, taskRun: TaskRun): void {
    let runs = this.children.get(parent);
    if (!runs) {
      if (this.children.size >= this.maxRuns) {
        const oldest = this.children.keys().next().value;
        if (oldest !== undefined) this.children.delete(oldest);
      }
      runs = new Map();
      this.children.set(parent, runs);
    }
    if (runs.size < this.maxChildren || runs.has(taskRun.metadata.uid)) {
      runs.set(taskRun.metadata.uid, taskRun);
    }
  }
}

// The uids of the PipelineRuns a TaskRun's ownerReferences name.
function ownerUids(taskRun: TaskRun): string[] {
  const owners = taskRun.metadata['ownerReferences'];
  return (Array.isArray(owners) ? owners : []).flatMap((o) =>
    isObject(o) && o['kind'] === 'PipelineRun' && typeof o['uid'] === 'string'
      ? [o['uid']]
      : []
  );
}
