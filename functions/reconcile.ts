// reconcile: the scheduled sweep that attests finished runs whose CloudEvent was lost (CONTRACT §5).
import type { HttpFunction } from '@google-cloud/functions-framework';
import type { AttestDeps } from '../shared/attest.js';
import type { ReconcileSettings } from '../shared/config.js';
import { describeError, EventError } from '../shared/core/errors.js';
import { makeKubeApi } from '../shared/kube/kube-api.js';
import { KubeRunLister } from '../shared/kube/kube-run-lister.js';
import { KubeRunSource } from '../shared/kube/kube-run-source.js';
import type { RunLister } from '../shared/kube/run-lister.js';
import type { RunSource } from '../shared/kube/run-source.js';
import type { Logger } from '../shared/log.js';
import { reconcile } from '../shared/reconcile.js';
import { lazy, type Deps } from './deps.js';
import { errorCodeOf, sendCodedError } from './http-error.js';
import { parseReconcileRequest } from './reconcile-request.js';

export const RECONCILE_RETRY_AFTER_SECONDS = '30';

export interface ReconcileFunctionDeps {
  settings: ReconcileSettings;
  // Formats and build options as attestRun uses them.
  formats: AttestDeps['formats'];
  options: AttestDeps['options'];
  embedTriggerEvent: boolean;
  // Built on first use (the Kubernetes client alone takes ~0.6 s to import).
  lister: () => Promise<RunLister>;
  source: () => Promise<RunSource>;
  signer: () => Promise<AttestDeps['signer']>;
  store: () => Promise<AttestDeps['store']>;
  // ATTESTED_TOPIC set: each run attested (or found unsignalled) gets its attested signal.
  publisher?: () => Promise<NonNullable<AttestDeps['publisher']>>;
  logger: Logger;
  concurrency?: number;
}

async function sweep(deps: ReconcileFunctionDeps, body: unknown) {
  const request = parseReconcileRequest(body);
  const [lister, source, signer, store, publisher] = await Promise.all([
    deps.lister(),
    deps.source(),
    deps.signer(),
    deps.store(),
    deps.publisher?.(),
  ]);
  const { settings } = deps;
  return reconcile(
    {
      lister,
      source,
      attest: {
        signer,
        store,
        formats: deps.formats,
        options: deps.options,
        ...(publisher ? { publisher } : {}),
      },
      embedTriggerEvent: deps.embedTriggerEvent,
      logger: deps.logger,
    },
    {
      windowMs: (request.windowSeconds ?? settings.windowSeconds) * 1000,
      namespaces: request.namespaces ?? settings.namespaces,
      budgetMs: settings.budgetSeconds * 1000,
      pageSize: settings.pageSize,
      ...(deps.concurrency === undefined
        ? {}
        : { concurrency: deps.concurrency }),
      ...(request.continue === undefined ? {} : { continue: request.continue }),
    }
  );
}

// POST only; 200 with the report (failures are counted in it), 400 bad body, 503 when the list itself fails.
export function makeReconcile(deps: ReconcileFunctionDeps): HttpFunction {
  return async (req, res) => {
    const started = Date.now();
    try {
      if (req.method !== 'POST') {
        const message = `expected POST, got ${req.method}`;
        res.set('Allow', 'POST');
        res.status(405).json({ error: { code: 'EVENT_UNSUPPORTED', message } });
        return;
      }
      const report = await sweep(deps, req.body);
      res.status(200).json(report);
      const severity = report.failed.count > 0 ? 'WARNING' : 'INFO';
      const { failed, ...counts } = report;
      deps.logger.log(severity, 'reconcile sweep', {
        ...counts,
        failed: failed.count,
        status: 200,
      });
    } catch (err) {
      const status = sendCodedError(
        res,
        err instanceof EventError ? 400 : 503,
        err,
        RECONCILE_RETRY_AFTER_SECONDS
      );
      deps.logger.log(
        status === 503 ? 'ERROR' : 'WARNING',
        `reconcile refused: ${describeError(err)}`,
        {
          status,
          code: errorCodeOf(err),
          durationMs: Date.now() - started,
        }
      );
    }
  };
}

// The reconcile handler's view of the dependencies: always the Kubernetes API (never the `event` source),
// one client shared by the lister and the run source.
export function reconcileDeps(deps: Deps): ReconcileFunctionDeps {
  const { config } = deps;
  // The client library itself is imported inside makeKubeApi, on first use.
  const kube = lazy(() => makeKubeApi(config.kube));
  return {
    settings: config.reconcile,
    formats: config.formats,
    options: {
      builderId: config.builderId,
      buildType: config.buildType,
      deepInspection: config.deepInspection,
    },
    embedTriggerEvent: config.embedTriggerEvent,
    lister: lazy(async () => {
      const { api, options } = await (await kube()).objectsApi();
      return new KubeRunLister(api, options);
    }),
    source: lazy(async () => {
      const { runApi, options } = await kube();
      const warn = (message: string, fields: Record<string, unknown>) =>
        deps.logger.log('WARNING', message, fields);
      return new KubeRunSource(runApi, { ...options, warn });
    }),
    signer: deps.signer,
    store: deps.store,
    ...(deps.publisher ? { publisher: deps.publisher } : {}),
    logger: deps.logger,
  };
}
