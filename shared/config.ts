// The whole configuration of the functions, read and validated once (CONTRACT §6 plus the settings below).
import { existsSync, readFileSync } from 'node:fs';
import { DEFAULT_BUILDER_ID, type Format } from './core/formats.js';
import { EnvReader } from './config-reader.js';
import {
  readAttestedTopic,
  readFormats,
  readReconcile,
  readSigner,
  readStore,
  type ReconcileSettings,
} from './config-sections.js';
import { readEventSettings, type EventSettings } from './config-events.js';
import { readVerifySettings, type VerifySettings } from './config-verify.js';
import {
  readKubeSettings,
  readRunSource,
  type ConfigHost,
  type KubeSettings,
} from './config-kube.js';

// Attestations one attestRun instance works on at once: CPU saturates near 1–2 per core, and each one in
// flight holds its run and statements in memory, so a small gate keeps an instance within 256 MiB.
export const DEFAULT_MAX_INFLIGHT_ATTESTATIONS = 8;

export type { ConfigHost, KubeSettings } from './config-kube.js';
export { parseDurationSeconds } from './config-reader.js';
export type { ReconcileSettings } from './config-sections.js';
export type { EventSettings, WebhookSecretSetting } from './config-events.js';
export type { VerifySettings } from './config-verify.js';

// EventSettings (config-events.ts): webhookSecret (WEBHOOK_SECRET[_FILE], never log it), eventTypes,
// eventDedupe, eventSigner.
export interface Config extends EventSettings {
  port: number;
  store: string;
  signer: string;
  // SIGNER was not set: the local key at `signer` is generated on first start when absent.
  generateSigner: boolean;
  runSource: 'kubernetes' | 'event';
  formats: Format[];
  builderId: string;
  buildType: 'slsa' | 'slsa-tekton';
  deepInspection: boolean;
  allowUnauthenticatedWebhooks: boolean;
  embedTriggerEvent: boolean;
  kube: KubeSettings;
  reconcile: ReconcileSettings;
  verify: VerifySettings;
  maxBodyBytes: number;
  // MAX_INFLIGHT_ATTESTATIONS: attestations one attestRun instance works on at once (the rest wait).
  maxInflightAttestations: number;
  // ATTESTED_TOPIC: Pub/Sub topic of the attested signal (attestRun, reconcile); unset: no signal.
  attestedTopic?: string;
  // KMS_ENDPOINT: a plaintext KMS stand-in, host:port (gRPC) or http://host:port (REST); local benchmarks only.
  kmsEndpoint?: string;
  // Run-source warnings (e.g. the `event` source being used), logged once when attestRun first builds its
  // source (functions/deps.ts), never by signEvent or reconcile; never secret values.
  warnings: string[];
}

const defaultHost: ConfigHost = {
  exists: (path) => existsSync(path),
  readText: (path) => readFileSync(path, 'utf8'),
};

// Reads and validates every setting; reports all problems in one ConfigError naming the variables.
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  host: ConfigHost = defaultHost
): Readonly<Config> {
  const r = new EnvReader(env);
  const warnings: string[] = [];
  const store = readStore(r);
  const signer = readSigner(r);
  const kube = readKubeSettings(r, host);
  const config: Config = {
    port: r.int('PORT', 8080, 1, 65535),
    store,
    signer: signer ?? './.keys/signing.pem',
    generateSigner: signer === undefined,
    runSource: readRunSource(r, kube, warnings),
    formats: readFormats(r),
    builderId: r.str('BUILDER_ID') ?? DEFAULT_BUILDER_ID,
    buildType: r.oneOf('BUILD_TYPE', ['slsa', 'slsa-tekton'] as const, 'slsa'),
    deepInspection: r.bool('DEEP_INSPECTION', false),
    ...readEventSettings(r, host),
    allowUnauthenticatedWebhooks: r.bool(
      'ALLOW_UNAUTHENTICATED_WEBHOOKS',
      false
    ),
    embedTriggerEvent: r.bool('EMBED_TRIGGER_EVENT', false),
    kube,
    reconcile: readReconcile(r),
    verify: readVerifySettings(r),
    maxBodyBytes: r.int(
      'MAX_BODY_BYTES',
      8 * 1024 * 1024,
      1024,
      512 * 1024 * 1024
    ),
    maxInflightAttestations: r.int(
      'MAX_INFLIGHT_ATTESTATIONS',
      DEFAULT_MAX_INFLIGHT_ATTESTATIONS,
      1,
      1000
    ),
    warnings,
  };
  const attestedTopic = readAttestedTopic(r);
  if (attestedTopic !== undefined) config.attestedTopic = attestedTopic;
  const kmsEndpoint = r.str('KMS_ENDPOINT');
  if (
    kmsEndpoint !== undefined &&
    !/^(?:http:\/\/)?[\w.-]+:\d{1,5}$/.test(kmsEndpoint)
  )
    r.invalid('KMS_ENDPOINT', 'host:port or http://host:port', kmsEndpoint);
  else if (kmsEndpoint !== undefined) config.kmsEndpoint = kmsEndpoint;
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(config.builderId))
    r.invalid('BUILDER_ID', 'an absolute URI', config.builderId);
  r.check();
  return Object.freeze(config);
}
