// The Tekton model: parsing (JSON/YAML, v1/v1beta1/CloudEvent payload), refusals, children and run facts.
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { EventError, ProvenanceError } from '../../shared/core/errors.js';
import {
  normaliseRepository,
  parseDigestRef,
} from '../../shared/core/image-ref.js';
import { buildSlsaV02 } from '../../shared/core/slsa-v02.js';
import {
  isRunDone,
  makeRunInput,
  missingOrUnfinishedChildren,
  normaliseRun,
  runIdentity,
} from '../../shared/core/tekton.js';
import {
  parseRunDocument,
  parseTaskRunsDocument,
} from '../../shared/core/tekton-documents.js';
import { HEX, childTaskRun, input, pipelineRun } from './run-builders.js';

type Json = Record<string, unknown>;

function refuses(
  fn: () => unknown,
  cls: typeof EventError | typeof ProvenanceError,
  code: string,
  text?: RegExp
): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof cls, String(err));
    assert.equal(err.code, code);
    if (text) assert.match(err.message, text);
    return true;
  });
}

// The CloudEvent payload shape: v1beta1, wrapped, no apiVersion/kind.
function asEventPayload(run: Json, kind: 'taskRun' | 'pipelineRun'): Json {
  const rest = { ...run };
  delete rest['apiVersion'];
  delete rest['kind'];
  const spec = { ...(rest['spec'] as Json) };
  const status = { ...(rest['status'] as Json) };
  if (kind === 'pipelineRun') {
    const template = spec['taskRunTemplate'] as Json;
    delete spec['taskRunTemplate'];
    spec['serviceAccountName'] = template['serviceAccountName'];
    status['pipelineResults'] = status['results'];
  } else {
    status['taskResults'] = status['results'];
  }
  delete status['results'];
  return { [kind]: { ...rest, spec, status } };
}

describe('Tekton model', () => {
  const pr = pipelineRun(
    [{ name: 'a', taskRef: { name: 't', kind: 'Task' } }],
    {
      status: {
        results: [
          { name: 'IMAGE_URL', value: 'gcr.io/x/y' },
          { name: 'IMAGE_DIGEST', value: `sha256:${HEX}` },
        ],
      },
    }
  );
  const child = childTaskRun('pr-a', 'a', {
    results: [{ name: 'r', value: 'v' }],
  });

  it('parses JSON and YAML into the same v1 model, defaulting labels and annotations', () => {
    const fromJson = parseRunDocument(JSON.stringify(pr));
    assert.deepStrictEqual(parseRunDocument(stringify(pr)), fromJson);
    assert.deepStrictEqual(fromJson.metadata.labels, {});
    assert.deepStrictEqual(fromJson.metadata.annotations, {});
    assert.deepStrictEqual(runIdentity(fromJson), {
      kind: 'pipelinerun',
      namespace: 'ci',
      name: 'pr',
      uid: 'uid-pr',
    });
  });

  it('v1beta1 CloudEvent payloads give the same statement as v1', () => {
    const opts = {
      builderId: 'b',
      buildType: 'slsa',
      deepInspection: true,
    } as const;
    const v1 = buildSlsaV02(input(pr, [child]), opts);
    const beta = input(asEventPayload(pr, 'pipelineRun'), [
      asEventPayload(child, 'taskRun'),
    ]);
    assert.deepStrictEqual(buildSlsaV02(beta, opts), v1);
    const bundled = normaliseRun({
      ...pr,
      apiVersion: 'tekton.dev/v1beta1',
      spec: { pipelineRef: { name: 'p', bundle: 'gcr.io/b:1' } },
    });
    assert.deepStrictEqual(bundled.spec['pipelineRef'], {
      resolver: 'bundles',
      params: [
        { name: 'bundle', value: 'gcr.io/b:1' },
        { name: 'name', value: 'p' },
        { name: 'kind', value: 'Pipeline' },
      ],
    });
    const legacy = normaliseRun({
      ...child,
      status: { provenance: { configSource: { uri: 'u' } } },
    });
    assert.deepStrictEqual(legacy.status.provenance?.refSource, { uri: 'u' });
  });

  it('infers the kind of fixtures without kind, and refuses other objects', () => {
    const noKind = { ...child };
    delete noKind['kind'];
    assert.equal(normaliseRun(noKind).kind, 'TaskRun');
    refuses(
      () => parseRunDocument('kind: ConfigMap\nmetadata: {name: c}\n'),
      ProvenanceError,
      'RUN_INVALID',
      /got ConfigMap/
    );
    refuses(
      () => normaliseRun({ metadata: {} }),
      ProvenanceError,
      'RUN_INVALID',
      /without kind/
    );
    refuses(
      () => normaliseRun([1]),
      ProvenanceError,
      'RUN_INVALID',
      /got a list/
    );
    refuses(
      () => normaliseRun({ customRun: {} }),
      ProvenanceError,
      'RUN_INVALID',
      /got CustomRun/
    );
    refuses(
      () => normaliseRun(pr, 'TaskRun'),
      ProvenanceError,
      'RUN_INVALID',
      /expected a TaskRun, got PipelineRun/
    );
    refuses(
      () => normaliseRun({ ...pr, apiVersion: 'v1' }),
      ProvenanceError,
      'RUN_INVALID',
      /apiVersion/
    );
  });

  it('refuses invalid JSON/YAML, several documents, missing uid and malformed fields', () => {
    refuses(
      () => parseRunDocument('{"kind": '),
      EventError,
      'EVENT_MALFORMED',
      /JSON/
    );
    refuses(
      () => parseRunDocument('a: [1\nb'),
      EventError,
      'EVENT_MALFORMED',
      /YAML/
    );
    refuses(
      () => parseRunDocument('a: 1\n---\nb: 2\n'),
      EventError,
      'EVENT_MALFORMED',
      /one run document, got 2/
    );
    refuses(() => parseRunDocument(''), EventError, 'EVENT_MALFORMED');
    const noUid = { ...pr, metadata: { name: 'pr', namespace: 'ci' } };
    refuses(
      () => parseRunDocument(JSON.stringify(noUid)),
      ProvenanceError,
      'RUN_INVALID',
      /metadata\.uid/
    );
    refuses(
      () => normaliseRun({ ...pr, spec: 'x' }),
      ProvenanceError,
      'RUN_INVALID',
      /spec to be an object/
    );
    refuses(
      () => normaliseRun({ ...child, status: { results: {} } }),
      ProvenanceError,
      'RUN_INVALID',
      /status\.results to be a list/
    );
    refuses(
      () => normaliseRun({ ...child, spec: { params: [{ value: 1 }] } }),
      ProvenanceError,
      'RUN_INVALID',
      /params\[0\]\.name/
    );
    refuses(
      () => normaliseRun({ ...child, status: { steps: [1] } }),
      ProvenanceError,
      'RUN_INVALID',
      /steps\[0\] to be an object/
    );
    refuses(
      () => normaliseRun(pipelineRun([{ name: 'a', runAfter: [1] } as never])),
      ProvenanceError,
      'RUN_INVALID',
      /runAfter/
    );
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    assert.throws(
      () => parseRunDocument(deep),
      (e: unknown) => e instanceof EventError || e instanceof ProvenanceError
    );
  });

  it('reads TaskRuns from a List, an array, multi-document YAML and a single TaskRun', () => {
    const other = childTaskRun('pr-b', 'a');
    const names = (text: string) =>
      parseTaskRunsDocument(text).map((t) => t.metadata.name);
    assert.deepStrictEqual(
      names(JSON.stringify({ kind: 'TaskRunList', items: [child, other] })),
      ['pr-a', 'pr-b']
    );
    assert.deepStrictEqual(names(JSON.stringify([child, other])), [
      'pr-a',
      'pr-b',
    ]);
    assert.deepStrictEqual(
      names(`${stringify(child)}---\n${stringify(other)}---\n`),
      ['pr-a', 'pr-b']
    );
    assert.deepStrictEqual(names(stringify(child)), ['pr-a']);
    refuses(
      () => parseTaskRunsDocument(JSON.stringify([pr])),
      ProvenanceError,
      'RUN_INVALID',
      /expected a TaskRun/
    );
  });

  it('makeRunInput of a TaskRun takes no children', () => {
    const tr = normaliseRun(child);
    assert.deepStrictEqual(makeRunInput(tr, []), { run: tr, taskRuns: [] });
    refuses(
      () => makeRunInput(tr, [tr]),
      ProvenanceError,
      'RUN_INVALID',
      /no child TaskRuns/
    );
  });

  it('isRunDone and missingOrUnfinishedChildren follow the Succeeded condition and childReferences', () => {
    const refs = ['pr-a', 'pr-b', 'pr-c'].map((name) => ({
      apiVersion: 'tekton.dev/v1',
      kind: 'TaskRun',
      name,
      pipelineTaskName: 'a',
    }));
    const withRefs = pipelineRun([{ name: 'a' }], {
      status: {
        childReferences: [
          ...refs,
          { kind: 'CustomRun', name: 'cr', pipelineTaskName: 'z' },
        ],
      },
    });
    const running = childTaskRun('pr-b', 'a');
    (running['status'] as Json)['conditions'] = [
      { type: 'Succeeded', status: 'Unknown' },
    ];
    const i = input(withRefs, [child, running]);
    assert.equal(isRunDone(i.run), true);
    assert.equal(isRunDone(i.taskRuns[1]!), false);
    assert.deepStrictEqual(missingOrUnfinishedChildren(i), ['pr-b', 'pr-c']);
    assert.deepStrictEqual(
      missingOrUnfinishedChildren(makeRunInput(i.taskRuns[0]!, [])),
      []
    );
  });

  it('normalises image names like go-containerregistry', () => {
    assert.equal(
      normaliseRepository('busybox'),
      'index.docker.io/library/busybox'
    );
    assert.equal(normaliseRepository('docker.io/x/y'), 'index.docker.io/x/y');
    assert.equal(
      normaliseRepository('localhost:5000/a/b'),
      'localhost:5000/a/b'
    );
    assert.equal(normaliseRepository(''), undefined);
    assert.equal(normaliseRepository('Upper'), undefined);
    assert.deepStrictEqual(parseDigestRef(`gcr.io/a/b:v1@sha256:${HEX}`), {
      repository: 'gcr.io/a/b',
      sha256: HEX,
    });
    assert.deepStrictEqual(parseDigestRef(`busybox:@sha256:${HEX}`), {
      repository: 'index.docker.io/library/busybox',
      sha256: HEX,
    });
    for (const bad of [
      'x',
      `a@b@sha256:${HEX}`,
      'a@sha512:00',
      'a@sha256:zz',
      `a:b c@sha256:${HEX}`,
    ]) {
      assert.equal(parseDigestRef(bad), undefined, bad);
    }
  });
});
