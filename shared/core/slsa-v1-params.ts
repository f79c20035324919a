// SLSA v1.0 buildDefinition parameters and runDetails.metadata, as Chains slsa/v2alpha4 writes them.
// Spec: https://slsa.dev/spec/v1.0/provenance#builddefinition and Tekton's build types
// https://tekton.dev/chains/v2/slsa (docs/slsa-provenance.md in tektoncd/chains).
import { sortKeys, isEmptyValue } from './go-json.js';
import { toProtoTimestamp } from './timestamps.js';
import type { BuildOptions, TektonRun } from './types.js';

// externalParameters: {runSpec} plus buildConfigSource for a remote (resolver, not cluster) ref.
// https://slsa.dev/spec/v1.0/provenance#externalParameters
export function externalParameters(run: TektonRun): Record<string, unknown> {
  const out: Record<string, unknown> = { runSpec: runSpecOf(run) };
  const source = buildConfigSource(run);
  if (source) out['buildConfigSource'] = source;
  return out;
}

// The run's spec as Go's encoding of the v1 type gives it: empty lists dropped,
// TaskRun serviceAccountName and PipelineRun taskRunTemplate always present.
export function runSpecOf(run: TektonRun): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(run.spec ?? {})) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    spec[key] = value;
  }
  if (run.kind === 'PipelineRun') spec['taskRunTemplate'] ??= {};
  else spec['serviceAccountName'] ??= '';
  return sortKeys(spec) as Record<string, unknown>;
}

function buildConfigSource(run: TektonRun): Record<string, string> | undefined {
  const ref =
    run.kind === 'PipelineRun' ? run.spec.pipelineRef : run.spec.taskRef;
  const refSource = run.status?.provenance?.refSource;
  const resolver = ref?.resolver ?? '';
  if (!refSource || resolver === '' || resolver.toLowerCase() === 'cluster') {
    return undefined;
  }
  // Chains takes the first digest in Go map order; we take the first in sorted order.
  const alg = Object.keys(refSource.digest ?? {}).sort()[0];
  return {
    ref: alg === undefined ? '' : `${alg}:${refSource.digest?.[alg] ?? ''}`,
    repository: refSource.uri ?? '',
    path: refSource.entryPoint ?? '',
  };
}

// internalParameters: feature flags (JSON names, zero values left out); slsa-tekton adds
// the run's labels and annotations unfiltered. https://slsa.dev/spec/v1.0/provenance#internalParameters
export function internalParameters(
  run: TektonRun,
  buildType: BuildOptions['buildType']
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const flags = run.status?.provenance?.featureFlags;
  if (flags && typeof flags === 'object') {
    out['tekton-pipelines-feature-flags'] = featureFlagsJson(flags);
  }
  if (buildType === 'slsa-tekton') {
    out['labels'] = emptyAsNull(run.metadata.labels);
    out['annotations'] = emptyAsNull(run.metadata.annotations);
  }
  return out;
}

// Go field names (EnableAPIFields) become JSON names (enableAPIFields); zero values are omitted.
export function featureFlagsJson(
  flags: Record<string, unknown>
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flags)) {
    if (isEmptyValue(value)) continue;
    out[key.charAt(0).toLowerCase() + key.slice(1)] = sortKeys(value);
  }
  return sortKeys(out) as Record<string, unknown>;
}

function emptyAsNull(map: Record<string, string> | undefined): unknown {
  return map && Object.keys(map).length > 0 ? sortKeys(map) : null;
}

// runDetails.metadata: invocationId = uid, startedOn/finishedOn in UTC; absent parts omitted.
// https://slsa.dev/spec/v1.0/provenance#buildmetadata
export function buildMetadata(run: TektonRun): Record<string, string> {
  const out: Record<string, string> = {};
  if (run.metadata?.uid) out['invocationId'] = run.metadata.uid;
  const startedOn = toProtoTimestamp(run.status?.startTime);
  const finishedOn = toProtoTimestamp(run.status?.completionTime);
  if (startedOn) out['startedOn'] = startedOn;
  if (finishedOn) out['finishedOn'] = finishedOn;
  return out;
}
