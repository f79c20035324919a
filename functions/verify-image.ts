// verifyImage: verify a pushed or attested image once, store the signed VSA, and (PASSED only) attest it
// for Binary Authorization. Private: Pub/Sub pushes with an OIDC token; a duplicate delivery changes nothing.
import type { HttpFunction } from '@google-cloud/functions-framework';
import {
  describeError,
  EventError,
  isAttestError,
} from '../shared/core/errors.js';
import type { Logger } from '../shared/log.js';
import type { Signer } from '../shared/signers/signer.js';
import type { AttestationStore } from '../shared/stores/store.js';
import type { VerificationKey } from '../shared/verify/keys.js';
import type { PolicySource } from '../shared/vsa/policy-source.js';
import {
  summarizeDigest,
  type SummaryOutcome,
} from '../shared/vsa/summarize.js';
import { sendCodedError } from './http-error.js';
import {
  parseVerifyImageRequest,
  type ImageTarget,
} from './verify-image-request.js';

export const VERIFY_IMAGE_RETRY_AFTER_SECONDS = '30';
// Image names one PASSED digest is attested under at most (a request's name, else the provenance's).
const MAX_NAMES = 8;

// Creates (idempotently) the Binary Authorization attestation of name@sha256:hex.
export interface ImageAttestor {
  attest(image: {
    name: string;
    hex: string;
  }): Promise<{ name: string; created: boolean }>;
}

export interface VerifyImageDeps {
  store: () => Promise<AttestationStore>;
  keys: () => Promise<VerificationKey[]>;
  // Keys for trigger events; undefined: `keys`.
  eventKeys: () => Promise<VerificationKey[] | undefined>;
  vsaSigner: () => Promise<Signer>;
  // Read on every request, so a changed policy object gets its own summary.
  policy: () => Promise<PolicySource>;
  // Absent when BINAUTHZ_NOTE is unset.
  attestor?: () => Promise<ImageAttestor>;
  verifierId: string;
  logger: Logger;
  now?: () => Date;
}

export interface ImageResult {
  digest: string;
  result: SummaryOutcome['result'];
  vsa?: string;
  created?: boolean;
  // The stored summary's result when it was already there (it is not replaced).
  stored?: string;
  occurrences?: { name: string; created: boolean }[];
}

async function verifyOne(
  target: ImageTarget,
  deps: VerifyImageDeps
): Promise<ImageResult> {
  const [store, keys, eventKeys, signer, source] = await Promise.all([
    deps.store(),
    deps.keys(),
    deps.eventKeys(),
    deps.vsaSigner(),
    deps.policy(),
  ]);
  const outcome = await summarizeDigest(target.hex, {
    store,
    keys,
    ...(eventKeys && { eventKeys }),
    policy: source.policy,
    now: deps.now?.() ?? new Date(),
    signer,
    policySource: { uri: source.uri, sha256: source.sha256 },
    verifierId: deps.verifierId,
  });
  const result: ImageResult = {
    digest: `sha256:${target.hex}`,
    result: outcome.result,
  };
  if (outcome.key !== undefined) result.vsa = outcome.key;
  if (outcome.created !== undefined) result.created = outcome.created;
  if (outcome.stored !== undefined) result.stored = outcome.stored;
  // Both this verdict and the stored summary must say PASSED: a stale PASSED summary never attests a FAIL.
  if (
    outcome.result === 'PASSED' &&
    outcome.stored === 'PASSED' &&
    deps.attestor
  ) {
    const attestor = await deps.attestor();
    const names = (
      target.name ? [target.name] : outcome.report.subjectNames
    ).slice(0, MAX_NAMES);
    result.occurrences = [];
    for (const name of names)
      result.occurrences.push(await attestor.attest({ name, hex: target.hex }));
  }
  return result;
}

// 400 for a request that names no image; 422 for other permanent refusals; 503 (retry) for the rest,
// configuration problems included, so a notification is never lost to a bad deploy.
function statusOf(err: unknown): number {
  if (err instanceof EventError) return 400;
  if (isAttestError(err) && err.permanent && err.name !== 'ConfigError')
    return 422;
  return 503;
}

export function makeVerifyImage(deps: VerifyImageDeps): HttpFunction {
  return async (req, res) => {
    const started = Date.now();
    try {
      if (req.method !== 'POST') {
        res.set('Allow', 'POST');
        throw new EventError(
          'EVENT_UNSUPPORTED',
          `expected POST, got ${req.method}`
        );
      }
      const request = parseVerifyImageRequest(req.headers, req.body);
      if (request.kind === 'ignore') {
        deps.logger.log('INFO', `nothing to verify: ${request.reason}`, {
          status: 204,
        });
        return void res.status(204).end();
      }
      const results: ImageResult[] = [];
      for (const target of request.targets)
        results.push(await verifyOne(target, deps));
      res.status(200).json({ results });
      for (const r of results)
        deps.logger.log(
          r.result === 'FAILED' ? 'WARNING' : 'INFO',
          `image ${r.result}`,
          {
            digest: r.digest,
            vsa: r.vsa,
            vsaCreated: r.created,
            occurrences: r.occurrences?.length ?? 0,
            source: request.source,
            status: 200,
            durationMs: Date.now() - started,
          }
        );
    } catch (err) {
      const status = statusOf(err);
      deps.logger.log(
        status === 400 ? 'WARNING' : 'ERROR',
        `verifyImage refused: ${describeError(err)}`,
        {
          status,
          durationMs: Date.now() - started,
        }
      );
      sendCodedError(res, status, err, VERIFY_IMAGE_RETRY_AFTER_SECONDS);
    }
  };
}
