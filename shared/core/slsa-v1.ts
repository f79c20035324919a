// SLSA v1.0 provenance in an in-toto Statement v1 for a TaskRun or PipelineRun, field for field as
// Tekton Chains `slsa/v2alpha4` emits it. https://slsa.dev/spec/v1.0/provenance
import {
  BUILD_TYPE_SLSA_TEKTON_V1,
  BUILD_TYPE_SLSA_V1,
  INTOTO_STATEMENT_V1,
  SLSA_PROVENANCE_V1,
} from './formats.js';
import {
  pipelineRunByproducts,
  taskRunByproducts,
} from './slsa-v1-byproducts.js';
import {
  pipelineRunDependencies,
  taskRunDependencies,
} from './slsa-v1-deps.js';
import {
  buildMetadata,
  externalParameters,
  internalParameters,
} from './slsa-v1-params.js';
import { tektonRunFacts } from './run-facts.js';
import { completedChildren, subjectsV1 } from './subjects.js';
import type { BuildOptions, RunInput, Subject } from './types.js';

export interface SlsaV1Statement {
  _type: typeof INTOTO_STATEMENT_V1;
  subject?: Subject[];
  predicateType: typeof SLSA_PROVENANCE_V1;
  predicate: {
    buildDefinition: Record<string, unknown>;
    runDetails: Record<string, unknown>;
  };
}

// Builds the statement; pure: same input and options give the same object.
export function buildSlsaV1(
  input: RunInput,
  opts: BuildOptions
): SlsaV1Statement {
  const { run } = input;
  const executed = completedChildren(input);
  const resolvedDependencies =
    run.kind === 'PipelineRun'
      ? pipelineRunDependencies(run, executed, opts)
      : taskRunDependencies(run, opts);
  const byproducts =
    run.kind === 'PipelineRun'
      ? pipelineRunByproducts(run, executed, opts.deepInspection)
      : taskRunByproducts(run);
  const subject = subjectsV1(input, opts.deepInspection);
  return {
    _type: INTOTO_STATEMENT_V1,
    // in-toto: subject is omitted (not empty) when nothing was built, as Chains does.
    ...(subject.length > 0 ? { subject } : {}),
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      // https://slsa.dev/spec/v1.0/provenance#builddefinition
      buildDefinition: {
        buildType: buildTypeUri(opts.buildType),
        externalParameters: externalParameters(run),
        // tektonRun is ours (not Chains'): what verify judges the run itself by.
        internalParameters: {
          ...internalParameters(run, opts.buildType),
          tektonRun: tektonRunFacts(run),
        },
        ...(resolvedDependencies.length > 0 ? { resolvedDependencies } : {}),
      },
      // https://slsa.dev/spec/v1.0/provenance#rundetails
      runDetails: {
        builder: { id: opts.builderId },
        metadata: buildMetadata(run),
        ...(byproducts.length > 0 ? { byproducts } : {}),
      },
    },
  };
}

// The buildType URI for our option name (Chains config `builddefinition.buildtype`).
export function buildTypeUri(buildType: BuildOptions['buildType']): string {
  return buildType === 'slsa-tekton'
    ? BUILD_TYPE_SLSA_TEKTON_V1
    : BUILD_TYPE_SLSA_V1;
}
