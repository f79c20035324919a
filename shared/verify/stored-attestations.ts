// What the store holds for a digest: every envelope checked, then the verified statements grouped by run.
import { digestPrefix, isVsaKey } from '../core/layout.js';
import {
  checkAttestation,
  type CheckedAttestation,
} from './attestation-check.js';
import { checkEvent } from './event-check.js';
import { readEnvelope } from './read-envelope.js';
import { fail, type CheckResult, type EventReport } from './report.js';
import type { RunGroup } from './run-report.js';
import type { VerifyDeps } from './verify-digest.js';

// Every check of what the store holds for a digest, with the attestations and events it found.
export interface Found {
  checks: CheckResult[];
  attestations: CheckedAttestation[];
  events: EventReport[];
}

const isEventKey = (key: string): boolean =>
  /\/event-[^/]+\.dsse\.json$/.test(key);

// Reads and checks every envelope stored under sha256/<hex>/ (events and attestations alike).
export async function checkStored(
  hex: string,
  deps: Pick<VerifyDeps, 'store' | 'keys' | 'eventKeys'>
): Promise<Found> {
  const found: Found = { checks: [], attestations: [], events: [] };
  // VSAs summarise provenance; they are read by `verify --vsa`, never judged as provenance.
  const keys = (await deps.store.list(digestPrefix(hex))).filter(
    (k) => !isVsaKey(k)
  );
  const envelopes = await Promise.all(
    keys.map((key) => readEnvelope(deps.store, key))
  );
  keys.forEach((key, i) => {
    const env = envelopes[i];
    if (env === undefined) return;
    if (typeof env === 'string')
      return void found.checks.push(
        fail('envelope', key, 'ENVELOPE_MALFORMED', env)
      );
    if (isEventKey(key)) {
      const event = checkEvent(
        'event',
        key,
        env,
        hex,
        deps.eventKeys ?? deps.keys
      );
      found.events.push(event.report);
      return void found.checks.push(...event.checks);
    }
    const checked = checkAttestation(key, env, hex, deps.keys);
    found.attestations.push(checked);
    found.checks.push(...checked.checks);
  });
  if (keys.length === 0)
    found.checks.push(
      fail(
        'attestations',
        `sha256:${hex}`,
        'ATTESTATION_MISSING',
        `no attestation for sha256:${hex} in ${deps.store.location}`
      )
    );
  return found;
}

// Verified statements grouped by run (kind + uid from the store key, else the invocation id).
export function groupRuns(attestations: CheckedAttestation[]): RunGroup[] {
  const groups = new Map<string, RunGroup>();
  for (const a of attestations) {
    const uid =
      a.report.key.match(/\/(?:taskrun|pipelinerun)-([A-Za-z0-9-]+)\./)?.[1] ??
      a.view?.invocationId ??
      a.report.key;
    const kind =
      a.view?.kind ?? (a.report.kind === 'taskrun' ? 'TaskRun' : 'PipelineRun');
    if (!a.report.verified) continue;
    const id = `${kind}/${uid}`;
    const group = groups.get(id) ?? {
      kind,
      uid,
      views: [],
      formats: [],
      keys: [],
    };
    group.keys.push(a.report.key);
    if (a.view) group.views.push(a.view);
    if (a.report.format) group.formats.push(a.report.format);
    if (a.runStatus?.status) group.status = a.runStatus.status;
    groups.set(id, group);
  }
  return [...groups.values()];
}
