// The event → PipelineRun edge: the run's recorded link must lead to a verified, authenticated event,
// and eventBindings compare run parameters with values in that event's body.
import { parseEnvelope } from '../core/dsse.js';
import { digestPrefix, isLayoutKey } from '../core/layout.js';
import type { Envelope } from '../core/types.js';
import type { AttestationStore } from '../stores/store.js';
import { checkEvent, type CheckedEvent } from './event-check.js';
import { bindingCheck } from './event-bindings.js';
import type { VerificationKey } from './keys.js';
import type { Policy } from './policy.js';
import { fail, type CheckResult, type EventReport } from './report.js';
import { tasksOf, type RunGroup } from './run-report.js';
import type { EventLink } from './view.js';
import { readEnvelope } from './read-envelope.js';

export interface LinkedEvent {
  event?: EventReport;
  checks: CheckResult[];
}

async function findEnvelope(
  link: EventLink,
  store: AttestationStore
): Promise<{ key: string; env: Envelope | string } | undefined> {
  if (link.embedded !== undefined) {
    try {
      return {
        key: `${link.uri} (embedded)`,
        env: parseEnvelope(JSON.stringify(link.embedded)),
      };
    } catch (err) {
      return { key: `${link.uri} (embedded)`, env: (err as Error).message };
    }
  }
  const keys = isLayoutKey(link.uri) ? [link.uri] : [];
  if (/^[0-9a-f]{64}$/.test(link.sha256)) {
    keys.push(
      ...(await store.list(digestPrefix(link.sha256))).filter((k) =>
        /\/event-[^/]+\.dsse\.json$/.test(k)
      )
    );
  }
  for (const key of keys) {
    const env = await readEnvelope(store, key);
    if (env !== undefined) return { key, env };
  }
  return undefined;
}

// The linked envelope checked as a trigger event: missing, unparseable, or its signature and subject checks.
async function checkLinkEnvelope(
  link: EventLink,
  store: AttestationStore,
  keys: readonly VerificationKey[]
): Promise<{ checked?: CheckedEvent; checks: CheckResult[] }> {
  const found = await findEnvelope(link, store);
  if (!found)
    return {
      checks: [
        fail(
          'trigger-event',
          link.uri,
          'EVENT_MISSING',
          `no trigger-event attestation ${link.uri} (sha256:${link.sha256}) in the store`
        ),
      ],
    };
  if (typeof found.env === 'string')
    return {
      checks: [fail('trigger-event', found.key, 'EVENT_INVALID', found.env)],
    };
  const checked = checkEvent(
    'trigger-event',
    found.key,
    found.env,
    link.sha256,
    keys
  );
  return { checked, checks: [...checked.checks] };
}

// Verifies the event a PipelineRun links to (always, when it links one) and applies the policy's demands.
export async function checkLinkedEvent(
  group: RunGroup,
  policy: Policy,
  store: AttestationStore,
  keys: readonly VerificationKey[]
): Promise<LinkedEvent> {
  const needed = policy.requireTriggerEvent || policy.eventBindings.length > 0;
  const target = `${group.kind} ${group.uid}`;
  const link = group.views.flatMap((v) => v.eventLinks)[0];
  if (!link)
    return {
      checks: needed
        ? [
            fail(
              'trigger-event',
              target,
              'EVENT_MISSING',
              `the ${group.kind} records no trigger event link`
            ),
          ]
        : [],
    };
  const { checked, checks } = await checkLinkEnvelope(link, store, keys);
  const build = {
    params: group.views[0]?.params ?? {},
    tasks: tasksOf(group) ?? [],
  };
  checks.push(
    ...policy.eventBindings.map((b) => bindingCheck(b, build, checked))
  );
  const event = checked?.report ?? {
    key: link.uri,
    digest: `sha256:${link.sha256}`,
    verified: false,
  };
  return { event, checks };
}

// A TaskRun that is part of no judged PipelineRun has no trigger event: it fails the event rules.
export function orphanEventChecks(
  group: RunGroup,
  policy: Policy
): CheckResult[] {
  if (!policy.requireTriggerEvent && policy.eventBindings.length === 0)
    return [];
  return [
    fail(
      'trigger-event',
      `${group.kind} ${group.uid}`,
      'EVENT_MISSING',
      'the TaskRun is part of no verified PipelineRun attestation of this digest, so no trigger event links it'
    ),
  ];
}
