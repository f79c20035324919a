import type { RunKind } from '../core/layout.js';

// One page of a run list: raw objects as the API server sent them, and the cursor to the next page.
export interface RunPage {
  items: unknown[];
  continue?: string;
  // The given continue token had expired (HTTP 410) and the list started over from the beginning.
  restarted?: boolean;
}

export interface ListRunsOptions {
  // Absent: every namespace (a cluster-wide list).
  namespace?: string;
  limit: number;
  continue?: string;
}

// Lists TaskRuns or PipelineRuns one page at a time, so a sweep holds at most one page in memory.
export interface RunLister {
  listRuns(kind: RunKind, opts: ListRunsOptions): Promise<RunPage>;
}
