// The counts a sweep answers with; bounded in size whatever the number of runs.
import { isAttestError } from '../core/errors.js';

// Failed runs listed in a report at most; the count stays exact.
export const MAX_FAILED_ITEMS = 50;

export const SKIP_NOT_FINISHED = 'not finished';
export const SKIP_CHILDREN_INCOMPLETE = 'children incomplete';

export interface ReconcileReport {
  // Runs inside the window (or still running) that the sweep looked at.
  examined: number;
  alreadyAttested: number;
  attestedNow: number;
  skipped: { count: number; reasons: Record<string, number> };
  failed: { count: number; items: { run: string; code: string }[] };
  // Runs listed but completed before the window (not examined).
  outsideWindow: number;
  // Every run the sweep has seen through the Kubernetes list; false: call again with `continue`.
  complete: boolean;
  continue?: string;
  durationMs: number;
}

// Collects outcomes while a sweep runs; finish() stamps completion and duration.
export class ReportTally {
  examined = 0;
  alreadyAttested = 0;
  attestedNow = 0;
  outsideWindow = 0;
  private readonly reasons: Record<string, number> = {};
  private skippedCount = 0;
  private readonly failures: { run: string; code: string }[] = [];
  private failedCount = 0;

  skip(reason: string): void {
    this.skippedCount++;
    this.reasons[reason] = (this.reasons[reason] ?? 0) + 1;
  }

  fail(run: string, err: unknown): void {
    this.failedCount++;
    if (this.failures.length < MAX_FAILED_ITEMS) {
      this.failures.push({
        run,
        code: isAttestError(err) ? err.code : 'INTERNAL',
      });
    }
  }

  finish(durationMs: number, continueToken?: string): ReconcileReport {
    return {
      examined: this.examined,
      alreadyAttested: this.alreadyAttested,
      attestedNow: this.attestedNow,
      skipped: { count: this.skippedCount, reasons: { ...this.reasons } },
      failed: { count: this.failedCount, items: [...this.failures] },
      outsideWindow: this.outsideWindow,
      complete: continueToken === undefined,
      ...(continueToken === undefined ? {} : { continue: continueToken }),
      durationMs,
    };
  }
}
