// Binary Authorization attestations in Container Analysis: payload, key ID, client and the idempotent write.
export {
  BINAUTHZ_SIGNATURE_TYPE,
  binauthzPayload,
  resourceUriOf,
} from './payload.js';
export {
  KMS_KEY_ID_PREFIX,
  pkixKeyId,
  publicKeyIdOf,
} from './public-key-id.js';
export {
  ensureAttestationOccurrence,
  type AttestationOptions,
  type OccurrenceTarget,
} from './occurrence.js';
export {
  CONTAINER_ANALYSIS,
  createGrafeasClient,
  type GrafeasHandle,
  type GrafeasLike,
} from './grafeas-client.js';
