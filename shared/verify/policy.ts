// The `verify --policy` file (CONTRACT §3): parsed with `yaml`, every problem listed in one ConfigError (exit 2).
import { parse } from 'yaml';
import { ConfigError } from '../core/errors.js';
import type { Format } from '../core/formats.js';
import { isObj, type Obj } from './json.js';
import {
  readBindings,
  readBool,
  readBuilderIds,
  readFormats,
  readList,
  readMaxAge,
  readNamespaces,
  readVerifiedLevels,
  type EventBinding,
} from './policy-fields.js';
import { Problems, readTrustedTask, type TrustedTask } from './policy-parts.js';

export type { EventBinding } from './policy-fields.js';

export type {
  TrustedBundle,
  TrustedCluster,
  TrustedGit,
  TrustedTask,
} from './policy-parts.js';

// What a verification demands beyond signatures and subjects; absent fields demand nothing.
export interface Policy {
  trustedTasks?: TrustedTask[];
  // When set, a digest passes only through a PipelineRun attestation whose pipeline matches one entry.
  trustedPipelines?: TrustedTask[];
  // When set, attestations of runs in other namespaces are ignored: they never decide the result.
  allowedNamespaces?: string[];
  // The run and every task that ran must have succeeded (default true in a policy file).
  requireSucceeded: boolean;
  allowInlineTasks: boolean;
  requireTriggerEvent: boolean;
  eventBindings: EventBinding[];
  requiredFormats: Format[];
  allowedBuilderIds?: string[];
  maxAgeMs?: number;
  // Levels a PASSED verification summary (VSA) claims; default SLSA_BUILD_LEVEL_2.
  verifiedLevels?: string[];
}

// The policy used when no --policy is given: signatures, subjects and types only.
export const EMPTY_POLICY: Policy = {
  requireSucceeded: false,
  allowInlineTasks: false,
  requireTriggerEvent: false,
  eventBindings: [],
  requiredFormats: [],
};

const TOP_KEYS = [
  'trustedTasks',
  'trustedPipelines',
  'allowedNamespaces',
  'requireSucceeded',
  'allowInlineTasks',
  'requireTriggerEvent',
  'eventBindings',
  'requiredFormats',
  'allowedBuilderIds',
  'maxAge',
  'verifiedLevels',
];

// The policy text as a YAML mapping; ConfigError CONFIG_INVALID when it is not one.
function parseMapping(text: string, source: string): Obj {
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
  return doc;
}

// Parses and validates a policy document; `source` names the file in messages.
export function parsePolicy(text: string, source: string): Policy {
  const doc = parseMapping(text, source);
  const p = new Problems();
  p.keys(doc, TOP_KEYS, 'policy');
  const policy: Policy = {
    requireSucceeded:
      doc.requireSucceeded === undefined ||
      readBool(doc.requireSucceeded, 'requireSucceeded', p),
    allowInlineTasks: readBool(doc.allowInlineTasks, 'allowInlineTasks', p),
    requireTriggerEvent: readBool(
      doc.requireTriggerEvent,
      'requireTriggerEvent',
      p
    ),
    eventBindings: readBindings(doc.eventBindings, p),
    requiredFormats: readFormats(doc.requiredFormats, p),
  };
  if (doc.trustedTasks !== undefined)
    policy.trustedTasks = readList(
      doc.trustedTasks,
      'trustedTasks',
      p,
      (x, at) => readTrustedTask(x, at, p)
    );
  if (doc.trustedPipelines !== undefined)
    policy.trustedPipelines = readList(
      doc.trustedPipelines,
      'trustedPipelines',
      p,
      (x, at) => readTrustedTask(x, at, p, ['Pipeline'])
    );
  if (doc.allowedNamespaces !== undefined)
    policy.allowedNamespaces = readNamespaces(doc.allowedNamespaces, p);
  if (doc.allowedBuilderIds !== undefined)
    policy.allowedBuilderIds = readBuilderIds(doc.allowedBuilderIds, p);
  if (doc.maxAge !== undefined) {
    const ms = readMaxAge(doc.maxAge, p);
    if (ms !== undefined) policy.maxAgeMs = ms;
  }
  if (doc.verifiedLevels !== undefined)
    policy.verifiedLevels = readVerifiedLevels(doc.verifiedLevels, p);
  if (p.list.length > 0)
    throw new ConfigError(
      'CONFIG_INVALID',
      `policy ${source}: ${p.list.join('; ')}`
    );
  return policy;
}
