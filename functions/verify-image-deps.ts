// verifyImage's view of the shared dependencies: keys from VERIFY_KEYS / VERIFY_EVENT_KEYS (else the
// instance's own signers' public keys), the VSA signer, and the policy re-read from VSA_POLICY.
import { ConfigError } from '../shared/core/errors.js';
import { publicKeyEntry } from '../shared/core/dsse.js';
import { loadKeys, type VerificationKey } from '../shared/verify/keys.js';
import { loadPolicySource } from '../shared/vsa/policy-source.js';
import { lazy, type Deps } from './deps.js';
import type { ImageAttestor, VerifyImageDeps } from './verify-image.js';

async function ownKey(
  signer: Deps['signer'],
  source: string
): Promise<VerificationKey> {
  return { ...publicKeyEntry((await signer()).publicKeyPem), source };
}

// A Container Analysis outage answers 503 well inside the push subscription's ack deadline (90 s).
const BINAUTHZ_BUDGET = { deadlineMs: 8_000, callTimeoutMs: 4_000 };

// BINAUTHZ_NOTE's attestor: occurrences signed with the VSA key (the key the attestor trusts).
function attestorOf(
  deps: Deps,
  noteName: string,
  endpoint: string | undefined
): () => Promise<ImageAttestor> {
  return lazy(async () => {
    const binauthz = await import('../shared/binauthz/index.js');
    const [client, signer] = await Promise.all([
      binauthz.createGrafeasClient(endpoint ? { endpoint } : {}),
      deps.vsaSigner(),
    ]);
    return {
      attest: (image) =>
        binauthz.ensureAttestationOccurrence(
          client,
          { noteName },
          image,
          signer,
          BINAUTHZ_BUDGET
        ),
    };
  });
}

export function verifyImageDeps(deps: Deps): VerifyImageDeps {
  const { config, storeOptions } = deps;
  const settings = config.verify;
  const keyOpts = { cwd: storeOptions.cwd };
  const { verifyKeys, verifyEventKeys, vsaPolicy } = settings;
  return {
    store: deps.store,
    keys: lazy(async () =>
      verifyKeys
        ? loadKeys(verifyKeys, keyOpts)
        : [await ownKey(deps.signer, 'SIGNER')]
    ),
    eventKeys: lazy(async () =>
      verifyEventKeys
        ? loadKeys(verifyEventKeys, keyOpts)
        : config.eventSigner
          ? [await ownKey(deps.eventSigner, 'EVENT_SIGNER')]
          : undefined
    ),
    vsaSigner: deps.vsaSigner,
    policy: () =>
      vsaPolicy === undefined
        ? Promise.reject(
            new ConfigError(
              'CONFIG_MISSING',
              'expected VSA_POLICY (a policy path or gs://BUCKET/OBJECT) for verifyImage, got none'
            )
          )
        : loadPolicySource(vsaPolicy, {
            cwd: storeOptions.cwd,
            ...(storeOptions.apiEndpoint && {
              apiEndpoint: storeOptions.apiEndpoint,
            }),
          }),
    ...(settings.binauthzNote !== undefined && {
      attestor: attestorOf(
        deps,
        settings.binauthzNote,
        settings.grafeasEndpoint
      ),
    }),
    verifierId: settings.verifierId,
    logger: deps.logger,
  };
}
