// attestRun: the Tekton CloudEvents sink; statuses per CONTRACT §5 (never 500: Tekton does not retry it).
import type { HttpFunction } from '@google-cloud/functions-framework';
import type { AttestDeps, AttestOutcome } from '../shared/attest.js';
import { attestRunRef } from '../shared/attest-run-ref.js';
import { DEFAULT_MAX_INFLIGHT_ATTESTATIONS } from '../shared/config.js';
import type { Format } from '../shared/core/formats.js';
import { normaliseRun } from '../shared/core/tekton.js';
import type { BuildOptions, TektonRun } from '../shared/core/types.js';
import type { RunRef, RunSource } from '../shared/kube/run-source.js';
import type { Logger } from '../shared/log.js';
import type { AttestationStore } from '../shared/stores/store.js';
import type { Signer } from '../shared/signers/signer.js';
import type { SignalPublisher } from '../shared/signal/publisher.js';
import { Gate } from './gate.js';
import { refuse, type LogContext } from './attest-run-refusal.js';
import { parseTektonEvent } from './tekton-event.js';

export { httpStatusOf, RETRY_AFTER_SECONDS } from './attest-run-refusal.js';

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
  // ATTESTED_TOPIC set: publishes the attested signal after the run's keys are stored.
  publisher?: () => Promise<SignalPublisher>;
  logger: Logger;
  // At most this many attestations at once per instance (memory bound); later events wait their turn.
  maxInflight?: number;
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

// The shared path (fetch → completeness → attestInput); the store (built and listed) and the signing client
// are made ready alongside the fetch; a signature is made only for a complete run.
async function attest(
  deps: AttestRunDeps,
  ref: RunRef,
  object: unknown,
  eventId: string
) {
  // The signing client is built (once per instance) while the run is fetched, not after: it signs nothing
  // until the run is known complete; a failure here surfaces when attestDeps asks again.
  void deps.signer().catch(() => undefined);
  const source = await deps.source();
  const warn = (message: string, fields: Record<string, unknown>) =>
    deps.logger.log('WARNING', message, fields);
  // Ignored children: logged with the CloudEvent's id and the run (name, uid and reason per TaskRun).
  const warnRun = (message: string, fields: Record<string, unknown>) =>
    warn(message, { eventId, ...fields });
  const attestDeps = async (): Promise<AttestDeps> => {
    const [signer, store, publisher] = await Promise.all([
      deps.signer(),
      deps.store(),
      deps.publisher?.(),
    ]);
    return {
      signer,
      store,
      ...(publisher ? { publisher } : {}),
      formats: deps.formats,
      options: deps.options,
      triggerLink: { embed: deps.embedTriggerEvent, warn },
    };
  };
  const eventRun = eventRunOf(source, ref, object);
  return attestRunRef(
    ref,
    { source, attest: attestDeps, store: deps.store, warn: warnRun },
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
      const outcome = await gate.run(() => attest(deps, ref, object, event.id));
      res
        .status(200)
        .json({ stored: outcome.keys, created: outcome.created.length });
      logAttested(deps.logger, outcome, { ...fields, started });
    } catch (err) {
      refuse(res, err, deps.logger, { ...fields, started });
    }
  };
}

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
    ...(outcome.signalled ? { signalled: true } : {}),
    status: 200,
    durationMs: Date.now() - started,
  });
}
