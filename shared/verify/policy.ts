// The `verify --policy` file (CONTRACT §3): parsed with `yaml`, every problem listed in one ConfigError (exit 2).
import { parse } from 'yaml';
import { ConfigError } from '../core/errors.js';
import { isFormat, type Format } from '../core/formats.js';
import { readDuration } from './duration.js';
import { isObj } from './json.js';
import { Problems, readTrustedTask, type TrustedTask } from './policy-parts.js';

export type {
  TrustedBundle,
  TrustedCluster,
  TrustedGit,
  TrustedTask,
} from './policy-parts.js';

export interface EventBinding {
  param: string;
  event: string;
}

// What a verification demands beyond signatures and subjects; absent fields demand nothing.
export interface Policy {
  trustedTasks?: TrustedTask[];
  allowInlineTasks: boolean;
  requireTriggerEvent: boolean;
  eventBindings: EventBinding[];
  requiredFormats: Format[];
  allowedBuilderIds?: string[];
  maxAgeMs?: number;
}

// The policy used when no --policy is given: signatures, subjects and types only.
export const EMPTY_POLICY: Policy = {
  allowInlineTasks: false,
  requireTriggerEvent: false,
  eventBindings: [],
  requiredFormats: [],
};

const TOP_KEYS = [
  'trustedTasks',
  'allowInlineTasks',
  'requireTriggerEvent',
  'eventBindings',
  'requiredFormats',
  'allowedBuilderIds',
  'maxAge',
];
function readList<T>(
  v: unknown,
  at: string,
  p: Problems,
  item: (x: unknown, at: string) => T | undefined
): T[] {
  if (!Array.isArray(v)) return (p.add(at, 'expected a list'), []);
  return v
    .map((x, i) => item(x, `${at}[${i}]`))
    .filter((x): x is T => x !== undefined);
}

function readBinding(
  v: unknown,
  at: string,
  p: Problems
): EventBinding | undefined {
  if (!isObj(v))
    return void p.add(at, 'expected a mapping with param and event');
  p.keys(v, ['param', 'event'], at);
  const param = p.str(v, 'param', at, true);
  const event = p.str(v, 'event', at, true);
  return param && event ? { param, event } : undefined;
}

function readBool(v: unknown, at: string, p: Problems): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean')
    p.add(at, `expected true or false, got ${JSON.stringify(v)}`);
  return v === true;
}

// Parses and validates a policy document; `source` names the file in messages.
export function parsePolicy(text: string, source: string): Policy {
  let doc: unknown;
  try {
    doc = parse(text) ?? {};
  } catch (err) {
    throw new ConfigError(
      'CONFIG_INVALID',
      `policy ${source}: invalid YAML: ${(err as Error).message.split('\n')[0]}`,
      { cause: err }
    );
  }
  if (!isObj(doc))
    throw new ConfigError(
      'CONFIG_INVALID',
      `policy ${source}: expected a mapping at the top level`
    );
  const p = new Problems();
  p.keys(doc, TOP_KEYS, 'policy');
  const policy: Policy = {
    allowInlineTasks: readBool(doc.allowInlineTasks, 'allowInlineTasks', p),
    requireTriggerEvent: readBool(
      doc.requireTriggerEvent,
      'requireTriggerEvent',
      p
    ),
    eventBindings:
      doc.eventBindings === undefined
        ? []
        : readList(doc.eventBindings, 'eventBindings', p, (x, at) =>
            readBinding(x, at, p)
          ),
    requiredFormats:
      doc.requiredFormats === undefined
        ? []
        : readList(doc.requiredFormats, 'requiredFormats', p, (x, at) =>
            isFormat(x)
              ? x
              : void p.add(
                  at,
                  `expected slsa/v0.2, slsa/v1.0 or tekton, got ${JSON.stringify(x)}`
                )
          ),
  };
  if (doc.trustedTasks !== undefined)
    policy.trustedTasks = readList(
      doc.trustedTasks,
      'trustedTasks',
      p,
      (x, at) => readTrustedTask(x, at, p)
    );
  if (doc.allowedBuilderIds !== undefined)
    policy.allowedBuilderIds = readList(
      doc.allowedBuilderIds,
      'allowedBuilderIds',
      p,
      (x, at) =>
        typeof x === 'string' && x
          ? x
          : void p.add(at, 'expected a builder id string')
    );
  if (doc.maxAge !== undefined) {
    const ms = readDuration(doc.maxAge);
    if (ms === undefined)
      p.add(
        'maxAge',
        `expected a duration such as 30d, 12h, 90m or 3600s, got ${JSON.stringify(doc.maxAge)}`
      );
    else policy.maxAgeMs = ms;
  }
  if (p.list.length > 0)
    throw new ConfigError(
      'CONFIG_INVALID',
      `policy ${source}: ${p.list.join('; ')}`
    );
  return policy;
}
