// Shared, lazily built dependencies of every function: clients are created on first use, once per instance.
import type { Config } from '../shared/config.js';
import { createRunSource } from '../shared/kube/create-run-source.js';
import type { RunSource } from '../shared/kube/run-source.js';
import type { Logger } from '../shared/log.js';
import {
  createSigner,
  type CreateSignerOptions,
} from '../shared/signers/create-signer.js';
import type { Signer } from '../shared/signers/signer.js';
import type { SignalPublisher } from '../shared/signal/publisher.js';
import {
  createStore,
  type CreateStoreOptions,
} from '../shared/stores/create-store.js';
import type { AttestationStore } from '../shared/stores/store.js';
import type { AttestRunDeps } from './attest-run.js';

export interface Deps {
  config: Readonly<Config>;
  logger: Logger;
  source: () => Promise<RunSource>;
  signer: () => Promise<Signer>;
  // EVENT_SIGNER's signer (signEvent), or the SIGNER one when it is unset (warned on first use).
  eventSigner: () => Promise<Signer>;
  // VSA_SIGNER's signer (verifyImage), or the SIGNER one when it is unset (warned on first use).
  vsaSigner: () => Promise<Signer>;
  store: () => Promise<AttestationStore>;
  // The overrides' store options and cwd, for what verifyImage reads beside the store (its policy).
  storeOptions: CreateStoreOptions & { cwd: string };
  // ATTESTED_TOPIC's publisher; undefined when it is unset (then @google-cloud/pubsub is never imported).
  publisher?: () => Promise<SignalPublisher>;
}

// Test hooks: ready clients for the stand-ins (the real client libraries, pointed at 127.0.0.1).
export interface DepsOverrides {
  signerOptions?: CreateSignerOptions;
  storeOptions?: CreateStoreOptions;
  // e.g. 127.0.0.1:PORT of the Pub/Sub emulator (else the client reads PUBSUB_EMULATOR_HOST).
  pubsubApiEndpoint?: string;
  cwd?: string;
}

// Memoises a factory; a failure (e.g. KMS unavailable at start) is not remembered, so the next request retries.
export function lazy<T>(make: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= make().catch((err: unknown) => {
      pending = undefined;
      throw err;
    }));
}

// Everything a function needs; the factories import the heavy client libraries only when the config names them.
export function makeDeps(
  config: Readonly<Config>,
  logger: Logger,
  overrides: DepsOverrides = {}
): Deps {
  const cwd = overrides.cwd ?? process.cwd();
  // config.warnings concern the run source (RUN_SOURCE=event), which only attestRun uses: logged when it is
  // first built, so signEvent and reconcile instances never print them.
  let warned = false;
  const warnOnce = () => {
    if (warned) return;
    warned = true;
    for (const warning of config.warnings) logger.log('WARNING', warning);
  };
  const signerOf = (ref: string, generateIfMissing: boolean) =>
    createSigner(ref, {
      cwd,
      generateIfMissing,
      log: (message) => logger.log('NOTICE', message),
      ...(config.kmsEndpoint ? { kmsEndpoint: config.kmsEndpoint } : {}),
      ...overrides.signerOptions,
    });
  const signer = lazy(() => signerOf(config.signer, config.generateSigner));
  return {
    config,
    logger,
    source: lazy(() => {
      warnOnce();
      return createRunSource(config.runSource, config.kube, (message, f) =>
        logger.log('WARNING', message, f)
      );
    }),
    signer,
    eventSigner: eventSignerOf(config, logger, signer, signerOf),
    vsaSigner: secondSignerOf(
      config.verify.vsaSigner,
      'VSA_SIGNER is not set: verification summaries are signed with the provenance key (SIGNER); set VSA_SIGNER to a key of their own and pass it to verify --vsa-key',
      logger,
      signer,
      signerOf
    ),
    store: lazy(() =>
      createStore(config.store, { cwd, ...overrides.storeOptions })
    ),
    storeOptions: { cwd, ...overrides.storeOptions },
    ...publisherOf(config.attestedTopic, overrides.pubsubApiEndpoint),
  };
}

// The publisher factory when a topic is configured; its module (and the client library) load on first use.
function publisherOf(
  topic: string | undefined,
  apiEndpoint: string | undefined
): Pick<Deps, 'publisher'> {
  if (topic === undefined) return {};
  const options = apiEndpoint === undefined ? {} : { apiEndpoint };
  return {
    publisher: lazy(async () => {
      const { createPubsubPublisher } =
        await import('../shared/signal/pubsub-publisher.js');
      return createPubsubPublisher(topic, options);
    }),
  };
}

// EVENT_SIGNER when set; otherwise the provenance signer, with one warning when signEvent first uses it.
function eventSignerOf(
  config: Readonly<Config>,
  logger: Logger,
  signer: () => Promise<Signer>,
  signerOf: (ref: string, generate: boolean) => Promise<Signer>
): () => Promise<Signer> {
  return secondSignerOf(
    config.eventSigner,
    'EVENT_SIGNER is not set: trigger events are signed with the provenance key (SIGNER); set EVENT_SIGNER to a key of their own and pass it to verify --event-key',
    logger,
    signer,
    signerOf
  );
}

// A key of its own when ref is set; otherwise the provenance signer, with one warning on first use.
function secondSignerOf(
  ref: string | undefined,
  warning: string,
  logger: Logger,
  signer: () => Promise<Signer>,
  signerOf: (ref: string, generate: boolean) => Promise<Signer>
): () => Promise<Signer> {
  if (ref !== undefined) return lazy(() => signerOf(ref, false));
  return lazy(() => {
    logger.log('WARNING', warning);
    return signer();
  });
}

// The attestRun handler's view of the dependencies.
export function attestRunDeps(deps: Deps): AttestRunDeps {
  const { config } = deps;
  return {
    formats: config.formats,
    options: {
      builderId: config.builderId,
      buildType: config.buildType,
      deepInspection: config.deepInspection,
    },
    maxBodyBytes: config.maxBodyBytes,
    embedTriggerEvent: config.embedTriggerEvent,
    source: deps.source,
    signer: deps.signer,
    store: deps.store,
    ...(deps.publisher ? { publisher: deps.publisher } : {}),
    logger: deps.logger,
    maxInflight: config.maxInflightAttestations,
  };
}
