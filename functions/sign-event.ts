// signEvent: the Tekton Triggers interceptor that signs authenticated webhook payloads (CONTRACT §5).
// Always HTTP 200 (any other status makes Triggers drop the trigger); the verdict is in the body.
import type { HttpFunction } from '@google-cloud/functions-framework';
import { describeError } from '../shared/core/errors.js';
import {
  interceptorFailure,
  interceptorSuccess,
  parseInterceptorRequest,
  type InterceptorResponse,
} from '../shared/core/interceptor.js';
import type { Logger } from '../shared/log.js';
import {
  signTriggerEvent,
  type SignEventDeps,
} from '../shared/sign-trigger-event.js';
import type { Config } from '../shared/config.js';
import type { WebhookSecret } from '../shared/webhook-auth.js';
import { FileSecretSource } from '../shared/webhook-secrets.js';
import type { Deps } from './deps.js';

export interface SignEventFunctionDeps extends SignEventDeps {
  maxBodyBytes: number;
  logger: Logger;
}

// Triggers posts JSON; other content types reach us as a Buffer or string that may still hold JSON.
function requestJson(body: unknown): unknown {
  if (typeof body !== 'string' && !Buffer.isBuffer(body)) return body;
  try {
    return JSON.parse(body.toString()) as unknown;
  } catch {
    return undefined;
  }
}

// Builds the HTTP handler; deps come from loadConfig() in functions/index.ts (or from a test).
export function makeSignEvent(deps: SignEventFunctionDeps): HttpFunction {
  return async (req, res) => {
    const started = Date.now();
    let response: InterceptorResponse;
    let eventId: string | undefined;
    try {
      const request = parseInterceptorRequest(
        requestJson(req.body),
        deps.maxBodyBytes
      );
      eventId = request.context.eventId;
      const outcome = await signTriggerEvent(request, deps);
      const { created, ...provenance } = outcome;
      response = interceptorSuccess(provenance);
      deps.logger.log(
        'INFO',
        created ? 'event signed' : 'event already signed',
        {
          eventId,
          stored: [provenance.attestation],
          created: created ? 1 : 0,
          durationMs: Date.now() - started,
        }
      );
    } catch (err) {
      response = interceptorFailure(err);
      const severity = response.status.code === 14 ? 'ERROR' : 'WARNING';
      deps.logger.log(severity, `event refused: ${describeError(err)}`, {
        ...(eventId === undefined ? {} : { eventId }),
        code: String(response.status.code),
        durationMs: Date.now() - started,
      });
    }
    res.status(200).json(response);
  };
}

// WEBHOOK_SECRET as read at start; WEBHOOK_SECRET_FILE re-read on warm instances (rotation), seeded with
// what loadConfig read.
function webhookSecretOf(
  setting: Config['webhookSecret']
): WebhookSecret | undefined {
  if (setting?.source !== 'file') return setting?.secrets;
  return new FileSecretSource(
    setting.path,
    setting.refreshSeconds * 1000,
    setting.secrets
  );
}

// The signEvent handler's view of the shared, lazily built dependencies.
export function signEventDeps(deps: Deps): SignEventFunctionDeps {
  const { config } = deps;
  return {
    webhookSecret: webhookSecretOf(config.webhookSecret),
    allowUnauthenticatedWebhooks: config.allowUnauthenticatedWebhooks,
    eventTypes: config.eventTypes,
    dedupe: config.eventDedupe,
    maxBodyBytes: config.maxBodyBytes,
    signer: deps.eventSigner,
    store: deps.store,
    logger: deps.logger,
    now: () => new Date(),
  };
}
