// attestRun: the Tekton CloudEvents sink; statuses per CONTRACT §5 (never 500: Tekton does not retry it).
import type { HttpFunction, Response } from '@google-cloud/functions-framework';
import type { AttestDeps, AttestOutcome } from '../shared/attest.js';
import { attestRunRef } from '../shared/attest-run-ref.js';
import { DEFAULT_MAX_INFLIGHT_ATTESTATIONS } from '../shared/config.js';
import {
  describeError,
  EventError,
  IncompleteRunError,
  isAttestError,
  ProvenanceError,
} from '../shared/core/errors.js';
import type { Format } from '../shared/core/formats.js';
import { normaliseRun } from '../shared/core/tekton.js';
import type { BuildOptions, TektonRun } from '../shared/core/types.js';
import type { RunRef, RunSource } from '../shared/kube/run-source.js';
import type { Logger } from '../shared/log.js';
import type { AttestationStore } from '../shared/stores/store.js';
import type { Signer } from '../shared/signers/signer.js';
import { Gate } from './gate.js';
import { errorCodeOf, sendCodedError } from './http-error.js';
import { parseTektonEvent } from './tekton-event.js';

export const RETRY_AFTER_SECONDS = '5';

export interface AttestRunDeps {
  formats: readonly Format[];
  options: Omit<BuildOptions, 'triggerEvent'>;
  maxBodyBytes: number;
  // Single-record mode: embed the signed trigger event in PipelineRun attestations.
  embedTriggerEvent: boolean;
  // Built on first use, so a cold start pays only for the clients this configuration needs.
  source: () => Promise<RunSource>;
  signer: () => Promise<Signer>;
  store: () => Promise<AttestationStore>;
  logger: Logger;
  // At most this many attestations at once per instance (memory bound); later events wait their turn.
  maxInflight?: number;
}

// 400 bad event, 422 not attestable, 503 + Retry-After for everything transient or unexpected.
export function httpStatusOf(err: unknown): number {
  if (err instanceof EventError) return 400;
  if (err instanceof ProvenanceError) return 422;
  if (isAttestError(err) && err.code === 'STORE_KEY_INVALID') return 422;
  return 503;
}

function eventRunOf(
  source: RunSource,
  ref: RunRef,
  object: unknown
): TektonRun | undefined {
  if (source.name !== 'event') return undefined;
  return normaliseRun(
    object,
    ref.kind === 'taskrun' ? 'TaskRun' : 'PipelineRun'
  );
}

// The shared path (fetch → completeness → attestInput); the store is built and listed alongside the
// fetch, the signer only for a complete run.
async function attest(deps: AttestRunDeps, ref: RunRef, object: unknown) {
  const source = await deps.source();
  const attestDeps = async (): Promise<AttestDeps> => {
    const [signer, store] = await Promise.all([deps.signer(), deps.store()]);
    const warn = (message: string, fields: Record<string, unknown>) =>
      deps.logger.log('WARNING', message, fields);
    return {
      signer,
      store,
      formats: deps.formats,
      options: deps.options,
      triggerLink: { embed: deps.embedTriggerEvent, warn },
    };
  };
  const eventRun = eventRunOf(source, ref, object);
  return attestRunRef(
    ref,
    { source, attest: attestDeps, store: deps.store },
    eventRun
  );
}

// Builds the HTTP handler; deps come from loadConfig() in functions/index.ts (or from a test).
export function makeAttestRun(deps: AttestRunDeps): HttpFunction {
  const gate = new Gate(deps.maxInflight ?? DEFAULT_MAX_INFLIGHT_ATTESTATIONS);
  return async (req, res) => {
    const started = Date.now();
    let fields: Record<string, unknown> = {};
    try {
      const event = await parseTektonEvent(req, deps.maxBodyBytes);
      fields = { eventId: event.id, eventType: event.type };
      if (!event.terminal) {
        res.status(204).end();
        return;
      }
      fields.run = event.terminal.ref;
      const { ref, object } = event.terminal;
      const outcome = await gate.run(() => attest(deps, ref, object));
      res
        .status(200)
        .json({ stored: outcome.keys, created: outcome.created.length });
      logAttested(deps.logger, outcome, { ...fields, started });
    } catch (err) {
      refuse(res, err, deps.logger, { ...fields, started });
    }
  };
}

type LogContext = Record<string, unknown> & { started: number };

function logAttested(
  logger: Logger,
  outcome: AttestOutcome,
  { started, ...fields }: LogContext
): void {
  const message =
    outcome.created.length > 0 ? 'run attested' : 'run already attested';
  logger.log('INFO', message, {
    ...fields,
    stored: outcome.keys,
    created: outcome.created.length,
    status: 200,
    durationMs: Date.now() - started,
  });
}

// Answers 400/422/503 and logs it: ERROR for transient failures, WARNING for bad input and incomplete runs.
function refuse(
  res: Response,
  err: unknown,
  logger: Logger,
  { started, ...fields }: LogContext
): void {
  const status = sendCodedError(
    res,
    httpStatusOf(err),
    err,
    RETRY_AFTER_SECONDS
  );
  const severity =
    status === 503 && !(err instanceof IncompleteRunError)
      ? 'ERROR'
      : 'WARNING';
  logger.log(severity, `event refused: ${describeError(err)}`, {
    ...fields,
    status,
    code: errorCodeOf(err),
    durationMs: Date.now() - started,
  });
}
