// tekton.dev/v1beta1 (and the CloudEvent payload, which is always v1beta1 without apiVersion/kind) into
// the v1 model, following tektoncd/pipeline's v1beta1 ConvertTo for the fields provenance reads.
import { ProvenanceError } from './errors.js';
import {
  checkPipelineRunShape,
  checkTaskRunShape,
  describeValue,
  isObject,
  type Obj,
} from './tekton-shape.js';
import { normaliseMetadata } from './tekton-metadata.js';
import type { ObjectMeta, TektonRun } from './types.js';
import {
  upgradePipelineSpec,
  upgradeRef,
  upgradeStatus,
} from './tekton-upgrade.js';

export type RunKind = TektonRun['kind'];

const API_VERSIONS = ['tekton.dev/v1', 'tekton.dev/v1beta1'];
const EVENT_KEYS: Readonly<Record<string, string>> = {
  taskRun: 'TaskRun',
  pipelineRun: 'PipelineRun',
  customRun: 'CustomRun',
};

function notARun(got: string): ProvenanceError {
  return new ProvenanceError(
    'RUN_INVALID',
    `expected a TaskRun or PipelineRun, got ${got}`
  );
}

// {"taskRun": {...}} / {"pipelineRun": {...}} → the inner object and its kind.
function unwrapEvent(doc: Obj): { doc: unknown; kind?: string } {
  const keys = Object.keys(doc);
  const key = keys.length === 1 ? keys[0] : undefined;
  const kind = key === undefined ? undefined : EVENT_KEYS[key];
  return kind === undefined ? { doc } : { doc: doc[key!], kind };
}

// Kind from `kind`, the hint or the event wrapper, else from the fields only one kind has.
function resolveKind(doc: Obj, hint: string | undefined): RunKind {
  const declared = typeof doc['kind'] === 'string' ? doc['kind'] : hint;
  const spec = isObject(doc['spec']) ? doc['spec'] : {};
  const status = isObject(doc['status']) ? doc['status'] : {};
  const kind =
    declared ??
    (['pipelineRef', 'pipelineSpec'].some((k) => k in spec) ||
    ['pipelineSpec', 'childReferences', 'pipelineResults'].some(
      (k) => k in status
    )
      ? 'PipelineRun'
      : ['taskRef', 'taskSpec'].some((k) => k in spec) ||
          ['taskSpec', 'steps', 'taskResults'].some((k) => k in status)
        ? 'TaskRun'
        : undefined);
  if (kind === undefined) throw notARun('an object without kind');
  if (kind !== 'TaskRun' && kind !== 'PipelineRun') throw notARun(kind);
  if (hint !== undefined && hint !== kind) {
    throw new ProvenanceError('RUN_INVALID', `expected a ${hint}, got ${kind}`);
  }
  return kind;
}

function section(doc: Obj, key: 'spec' | 'status'): Obj {
  const value = doc[key];
  if (value === undefined) return {};
  if (!isObject(value)) {
    throw new ProvenanceError(
      'RUN_INVALID',
      `expected ${key} to be an object, got ${describeValue(value)}`
    );
  }
  return { ...value };
}

function buildTaskRun(doc: Obj, metadata: ObjectMeta): TektonRun {
  const spec = section(doc, 'spec');
  if ('taskRef' in spec) spec['taskRef'] = upgradeRef(spec['taskRef'], 'Task');
  const status = upgradeStatus(section(doc, 'status'), 'taskResults');
  const run = {
    apiVersion: 'tekton.dev/v1',
    kind: 'TaskRun',
    metadata,
    spec,
    status,
  };
  checkTaskRunShape(run);
  return run as TektonRun;
}

function buildPipelineRun(doc: Obj, metadata: ObjectMeta): TektonRun {
  const spec = section(doc, 'spec');
  if ('pipelineRef' in spec) {
    spec['pipelineRef'] = upgradeRef(spec['pipelineRef'], 'Pipeline');
  }
  if ('pipelineSpec' in spec) {
    spec['pipelineSpec'] = upgradePipelineSpec(spec['pipelineSpec']);
  }
  const template = isObject(spec['taskRunTemplate'])
    ? { ...spec['taskRunTemplate'] }
    : {};
  for (const key of ['serviceAccountName', 'podTemplate']) {
    if (key in spec && !(key in template)) template[key] = spec[key];
    delete spec[key];
  }
  if (Object.keys(template).length > 0) spec['taskRunTemplate'] = template;
  const status = upgradeStatus(section(doc, 'status'), 'pipelineResults');
  if ('pipelineSpec' in status) {
    status['pipelineSpec'] = upgradePipelineSpec(status['pipelineSpec']);
  }
  const run = {
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata,
    spec,
    status,
  };
  checkPipelineRunShape(run);
  return run as TektonRun;
}

function describeApiVersion(value: unknown): string {
  return typeof value === 'string' ? value : describeValue(value);
}

// Any accepted run object (v1, v1beta1, CloudEvent payload) as a v1 TaskRun or PipelineRun.
export function normaliseRun(obj: unknown, kindHint?: RunKind): TektonRun {
  if (!isObject(obj)) throw notARun(describeValue(obj));
  const unwrapped = unwrapEvent(obj);
  if (!isObject(unwrapped.doc)) throw notARun(describeValue(unwrapped.doc));
  const doc = unwrapped.doc;
  const kind = resolveKind(doc, unwrapped.kind ?? kindHint);
  const apiVersion = doc['apiVersion'];
  if (
    apiVersion !== undefined &&
    !API_VERSIONS.includes(apiVersion as string)
  ) {
    throw new ProvenanceError(
      'RUN_INVALID',
      `expected apiVersion ${API_VERSIONS.join(' or ')}, got ${describeApiVersion(apiVersion)}`
    );
  }
  const metadata = normaliseMetadata(doc['metadata']);
  return kind === 'TaskRun'
    ? buildTaskRun(doc, metadata)
    : buildPipelineRun(doc, metadata);
}
