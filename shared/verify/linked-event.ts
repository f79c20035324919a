// The event → PipelineRun edge: the run's recorded link must lead to a verified, authenticated event,
// and eventBindings compare run parameters with values in that event's body.
import { parseEnvelope } from '../core/dsse.js';
import { digestPrefix, isLayoutKey } from '../core/layout.js';
import type { Envelope } from '../core/types.js';
import type { AttestationStore } from '../stores/store.js';
import { checkEvent, type CheckedEvent } from './event-check.js';
import { valueAtPath } from './json.js';
import type { VerificationKey } from './keys.js';
import type { EventBinding, Policy } from './policy.js';
import { fail, pass, type CheckResult, type EventReport } from './report.js';
import type { RunGroup } from './run-report.js';
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

function text(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function bindingCheck(
  b: EventBinding,
  params: Record<string, unknown>,
  checked: CheckedEvent | undefined
): CheckResult {
  const target = `${b.param} = ${b.event}`;
  if (!checked?.report.verified)
    return fail(
      'event-binding',
      target,
      'EVENT_BINDING_MISMATCH',
      'no verified trigger event to compare with'
    );
  if (!(b.param in params))
    return fail(
      'event-binding',
      target,
      'EVENT_BINDING_MISMATCH',
      `the PipelineRun has no parameter ${b.param}`
    );
  const want = valueAtPath(checked.body, b.event);
  const have = params[b.param];
  if (want === undefined)
    return fail(
      'event-binding',
      target,
      'EVENT_BINDING_MISMATCH',
      `the event body has no ${b.event}`
    );
  return text(want) === text(have)
    ? pass(
        'event-binding',
        target,
        `param ${b.param} = event ${b.event} = ${JSON.stringify(have)}`
      )
    : fail(
        'event-binding',
        target,
        'EVENT_BINDING_MISMATCH',
        `param ${b.param} is ${JSON.stringify(have)} but event ${b.event} is ${JSON.stringify(want)}`
      );
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
  const found = await findEnvelope(link, store);
  let checked: CheckedEvent | undefined;
  const checks: CheckResult[] = [];
  if (!found)
    checks.push(
      fail(
        'trigger-event',
        link.uri,
        'EVENT_MISSING',
        `no trigger-event attestation ${link.uri} (sha256:${link.sha256}) in the store`
      )
    );
  else if (typeof found.env === 'string')
    checks.push(fail('trigger-event', found.key, 'EVENT_INVALID', found.env));
  else {
    checked = checkEvent(
      'trigger-event',
      found.key,
      found.env,
      link.sha256,
      keys
    );
    checks.push(...checked.checks);
  }
  const params = group.views[0]?.params ?? {};
  checks.push(
    ...policy.eventBindings.map((b) => bindingCheck(b, params, checked))
  );
  const event = checked?.report ?? {
    key: link.uri,
    digest: `sha256:${link.sha256}`,
    verified: false,
  };
  return { event, checks };
}
