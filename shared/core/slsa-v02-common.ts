// Parts shared by the SLSA v0.2 TaskRun and PipelineRun predicates (Chains slsa/attest/attest.go):
// invocation, step attestations and metadata. Spec: https://slsa.dev/spec/v0.2/provenance
import { toProtoTimestamp } from './timestamps.js';
import type {
  Param,
  ParamSpec,
  ParamValue,
  Step,
  StepState,
  TektonRun,
} from './types.js';

const REPRODUCIBLE_LABEL = 'chains.tekton.dev/reproducible';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

// An RFC 3339 time as Go's time.Time marshals it after .UTC(): RFC3339Nano, trailing zeros dropped.
export function goTime(value: unknown): string | undefined {
  const proto = toProtoTimestamp(value);
  return proto?.replace(/\.(\d*?)0*Z$/, (_, digits: string) =>
    digits === '' ? 'Z' : `.${digits}Z`
  );
}

// Kubernetes already sends labels and annotations in key order (Go sorts map keys): sort only when not.
function sortedEntries<T>(entries: Iterable<[string, T]>): Record<string, T> {
  const list = [...entries];
  const inOrder = list.every((e, i) => i === 0 || list[i - 1]![0] < e[0]);
  if (!inOrder) list.sort(([a], [b]) => (a < b ? -1 : 1));
  return Object.fromEntries(list);
}

// invocation.configSource: https://slsa.dev/spec/v0.2/provenance#invocation.configSource
function configSource(run: TektonRun): Record<string, unknown> {
  const ref = run.status.provenance?.refSource;
  const out: Record<string, unknown> = {};
  if (!ref) return out;
  if (ref.uri) out['uri'] = ref.uri;
  if (ref.digest && Object.keys(ref.digest).length > 0)
    out['digest'] = ref.digest;
  if (ref.entryPoint) out['entryPoint'] = ref.entryPoint;
  return out;
}

// invocation.environment: labels and annotations without kubectl's and Chains' own annotations.
function environment(run: TektonRun): Record<string, unknown> | undefined {
  const annotations = Object.entries(run.metadata.annotations).filter(
    ([k]) => k !== LAST_APPLIED && !k.startsWith('chains.tekton.dev/')
  );
  const labels = Object.entries(run.metadata.labels);
  const env: Record<string, unknown> = {};
  if (annotations.length > 0) env['annotations'] = sortedEntries(annotations);
  if (labels.length > 0) env['labels'] = sortedEntries(labels);
  return Object.keys(env).length > 0 ? env : undefined;
}

// SLSA v0.2 invocation: https://slsa.dev/spec/v0.2/provenance#invocation — parameters are the spec's
// defaults overridden by the run's explicit params.
export function invocation(
  run: TektonRun,
  params: readonly Param[],
  specs: readonly ParamSpec[]
): Record<string, unknown> {
  const values = new Map<string, ParamValue>();
  for (const p of specs)
    if (p.default !== undefined) values.set(p.name, p.default);
  for (const p of params) values.set(p.name, p.value);
  const out: Record<string, unknown> = {
    configSource: configSource(run),
    parameters: sortedEntries(values),
  };
  const env = environment(run);
  if (env) out['environment'] = env;
  return out;
}

// One buildConfig step: entryPoint (script, else command), arguments, image and container.
export function stepAttestation(
  step: Step,
  state: StepState
): Record<string, unknown> {
  const command = Array.isArray(step.command) ? step.command : [];
  const script = typeof step.script === 'string' ? step.script : '';
  const imageId = typeof state.imageID === 'string' ? state.imageID : '';
  return {
    entryPoint: script !== '' ? script : command.join(' '),
    arguments: Array.isArray(step.args) ? step.args : null,
    environment: {
      container: typeof state.name === 'string' ? state.name : '',
      image: `oci://${imageId.replace(/^docker-pullable:\/\//, '')}`,
    },
    annotations: null,
  };
}

// SLSA v0.2 metadata: https://slsa.dev/spec/v0.2/provenance#metadata — reproducible only from the label.
export function metadata(run: TektonRun): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const started = goTime(run.status.startTime);
  const finished = goTime(run.status.completionTime);
  if (started) out['buildStartedOn'] = started;
  if (finished) out['buildFinishedOn'] = finished;
  out['completeness'] = {
    parameters: false,
    environment: false,
    materials: false,
  };
  out['reproducible'] = run.metadata.labels[REPRODUCIBLE_LABEL] === 'true';
  return out;
}
