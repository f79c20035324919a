import assert from 'node:assert/strict';
import { canonicalJson, sortKeys } from '../../shared/core/go-json.js';
import { normaliseRun } from '../../shared/core/tekton-normalise.js';
import { buildSlsaV1 } from '../../shared/core/slsa-v1.js';
import { externalParameters } from '../../shared/core/slsa-v1-params.js';
import { toProtoTimestamp } from '../../shared/core/timestamps.js';
import type {
  BuildOptions,
  Envelope,
  PipelineRun,
  RunInput,
  TaskRun,
} from '../../shared/core/types.js';
import { attachAsController } from '../fixtures/controller-children.js';
import {
  asJson,
  pipelineRunInput,
  readJson,
  skipWithoutChainsTestdata,
  TESTDATA,
  taskRunInput,
} from './slsa-v1-fixtures.js';

type Rd = {
  name?: string;
  uri?: string;
  digest?: object;
  content?: string;
  mediaType?: string;
};

const SLSA: BuildOptions = {
  builderId: 'b',
  buildType: 'slsa',
  deepInspection: false,
};
const TEKTON: BuildOptions = { ...SLSA, buildType: 'slsa-tekton' };

function deps(input: RunInput, opts: BuildOptions): Rd[] {
  const s = asJson(buildSlsaV1(input, opts)) as {
    predicate: { buildDefinition: { resolvedDependencies?: Rd[] } };
  };
  return s.predicate.buildDefinition.resolvedDependencies ?? [];
}

// A fixture rewritten in the v1beta1 / CloudEvent shape: no kind, taskResults/pipelineResults,
// PipelineRun serviceAccountName at spec level.
interface Fixture {
  metadata?: Record<string, unknown>;
  spec?: { taskRunTemplate?: { serviceAccountName?: string } } & Record<
    string,
    unknown
  >;
  status?: Record<string, unknown>;
}

function toV1beta1(doc: Fixture, kind: 'TaskRun' | 'PipelineRun') {
  const copy = structuredClone(doc);
  const status = copy.status ?? {};
  const key = kind === 'TaskRun' ? 'taskResults' : 'pipelineResults';
  if (status['results'])
    [status[key], status['results']] = [status['results'], undefined];
  if (kind === 'PipelineRun' && copy.spec?.taskRunTemplate) {
    copy.spec['serviceAccountName'] =
      copy.spec.taskRunTemplate.serviceAccountName;
    delete copy.spec.taskRunTemplate;
  }
  copy.metadata = { namespace: 'default', ...copy.metadata };
  return {
    [kind === 'TaskRun' ? 'taskRun' : 'pipelineRun']: JSON.parse(
      JSON.stringify(copy)
    ),
  };
}

describe('buildSlsaV1 rules', function () {
  before(function () {
    skipWithoutChainsTestdata(this);
  });

  it('slsa-tekton: every executed child is a pipelineTask whose content decodes to the whole TaskRun', () => {
    const input = pipelineRunInput('slsa-v2alpha4', 'pipelinerun1', [
      'taskrun1',
      'taskrun2',
    ]);
    const tasks = deps(input, TEKTON).filter((d) => d.name === 'pipelineTask');
    assert.equal(tasks.length, 2);
    // Spec order: git-clone (taskrun2) before build (taskrun1).
    const [gitClone, build] =
      input.taskRuns.length === 2
        ? [input.taskRuns[1]!, input.taskRuns[0]!]
        : [];
    for (const [rd, tr] of [
      [tasks[0]!, gitClone!],
      [tasks[1]!, build!],
    ] as const) {
      const decoded: unknown = JSON.parse(
        Buffer.from(rd.content!, 'base64').toString('utf8')
      );
      assert.deepStrictEqual(decoded, sortKeys(asJson(tr)));
      assert.equal(
        Buffer.from(rd.content!, 'base64').toString('utf8'),
        canonicalJson(tr)
      );
      assert.equal(rd.uri, tr.status.provenance?.refSource?.uri);
    }
  });

  it('slsa-tekton keeps a pipelineTask for a child without refSource; slsa drops it', () => {
    const input = pipelineRunInput('slsa-v2alpha4', 'pipelinerun1', [
      'taskrun1',
      'taskrun2',
    ]);
    delete input.taskRuns[0]!.status.provenance;
    assert.equal(
      deps(input, SLSA).filter((d) => d.name === 'pipelineTask').length,
      1
    );
    const tekton = deps(input, TEKTON).filter((d) => d.name === 'pipelineTask');
    assert.equal(tekton.length, 2);
    // annotations: the fixture's pipeline names a ClusterTask where its TaskRun ran a Task (marked, ours).
    assert.deepStrictEqual(
      Object.keys(tekton[1]!).filter((k) => k !== 'annotations'),
      ['name', 'content']
    );
  });

  it('slsa-tekton adds labels and annotations to internalParameters and names the build type', () => {
    const input = taskRunInput('slsa-v2alpha4', 'taskrun1');
    const s = asJson(buildSlsaV1(input, TEKTON)) as {
      predicate: {
        buildDefinition: {
          buildType: string;
          internalParameters: { labels: unknown; annotations: unknown };
        };
      };
    };
    assert.equal(
      s.predicate.buildDefinition.buildType,
      'https://tekton.dev/chains/v2/slsa-tekton'
    );
    assert.deepStrictEqual(
      s.predicate.buildDefinition.internalParameters.labels,
      {
        'tekton.dev/pipelineTask': 'build',
      }
    );
    assert.equal(
      s.predicate.buildDefinition.internalParameters.annotations,
      null
    );
  });

  it('a v1beta1 (CloudEvent-shaped) input gives the same statement as v1', () => {
    const pr = readJson(
      `${TESTDATA}/slsa-v2alpha4/pipelinerun1.json`
    ) as Fixture;
    const children = ['taskrun1', 'taskrun2'].map(
      (n) => readJson(`${TESTDATA}/slsa-v2alpha4/${n}.json`) as Fixture
    );
    const v1beta1: RunInput = {
      run: normaliseRun(toV1beta1(pr, 'PipelineRun')),
      taskRuns: children.map(
        (c) => normaliseRun(toV1beta1(c, 'TaskRun')) as TaskRun
      ),
    };
    attachAsController(v1beta1.run as PipelineRun, v1beta1.taskRuns);
    const v1 = pipelineRunInput('slsa-v2alpha4', 'pipelinerun1', [
      'taskrun1',
      'taskrun2',
    ]);
    const opts = { ...TEKTON, deepInspection: true };
    assert.deepStrictEqual(
      asJson(buildSlsaV1(v1beta1, opts)),
      asJson(buildSlsaV1(v1, opts))
    );
    const tr = taskRunInput('slsa-v2alpha4', 'taskrun1');
    const trBeta = {
      run: normaliseRun(toV1beta1(children[0]!, 'TaskRun')),
      taskRuns: [],
    };
    assert.deepStrictEqual(
      asJson(buildSlsaV1(trBeta, SLSA)),
      asJson(buildSlsaV1(tr, SLSA))
    );
  });

  it('links a trigger event, embedding the envelope in single-record mode', () => {
    const input = pipelineRunInput('slsa-v2alpha4', 'pipelinerun1', [
      'taskrun1',
      'taskrun2',
    ]);
    const envelope: Envelope = {
      payloadType: 'application/vnd.in-toto+json',
      payload: 'e30=',
      signatures: [],
    };
    const link = {
      eventId: 'ev-1',
      payloadSha256: 'ab'.repeat(32),
      uri: 'events/ev-1/event.dsse.json',
    };
    const plain = deps(input, { ...SLSA, triggerEvent: link }).at(-1);
    assert.deepStrictEqual(plain, {
      name: 'triggerEvent',
      uri: link.uri,
      digest: { sha256: link.payloadSha256 },
    });
    const embedded = deps(input, {
      ...SLSA,
      triggerEvent: { ...link, envelope },
    }).at(-1)!;
    assert.equal(embedded.mediaType, 'application/vnd.dsse.envelope.v1+json');
    assert.deepStrictEqual(
      JSON.parse(Buffer.from(embedded.content!, 'base64').toString()),
      envelope
    );
  });

  it('records StepAction refSources as stepAction/<step>, kept even when repeated', () => {
    const input = taskRunInput('slsa-v2alpha4', 'taskrun1');
    const ref = {
      uri: 'git+https://github.com/test',
      digest: { sha1: 'ab123' },
      entryPoint: 'x',
    };
    input.run.status.steps = (input.run as TaskRun).status.steps!.map((s) => ({
      ...s,
      provenance: { refSource: ref },
    }));
    const names = deps(input, SLSA).map((d) => d.name ?? '');
    assert.deepStrictEqual(
      names.filter((n) => n.startsWith('stepAction/') || n === 'task'),
      ['task', 'stepAction/step1', 'stepAction/step2', 'stepAction/step3']
    );
  });

  it('leaves out children that did not complete, and keeps every TaskRun of a matrixed task', () => {
    const input = pipelineRunInput('slsa-v2alpha4', 'pipelinerun1', [
      'taskrun1',
      'taskrun2',
    ]);
    const extra = structuredClone(input.taskRuns[0]!);
    extra.metadata.name = 'taskrun-build-2';
    extra.status.provenance = {
      refSource: { uri: 'git+https://other', digest: { sha1: 'f00' } },
    };
    const unfinished = structuredClone(extra);
    delete unfinished.status.completionTime;
    unfinished.status.provenance = {
      refSource: { uri: 'git+https://never', digest: { sha1: '0' } },
    };
    input.taskRuns.push(extra, unfinished);
    attachAsController(input.run as PipelineRun, input.taskRuns);
    const uris = deps(input, SLSA)
      .filter((d) => d.name === 'pipelineTask')
      .map((d) => d.uri);
    assert.deepStrictEqual(uris, [
      'git+https://github.com/catalog',
      'git+https://github.com/test',
      'git+https://other',
    ]);
  });

  it('writes buildConfigSource only for a remote resolver, never for the cluster resolver', () => {
    const run = taskRunInput('slsa-v2alpha4', 'taskrun1').run;
    assert.equal(externalParameters(run)['buildConfigSource'], undefined);
    run.spec.taskRef = { resolver: 'cluster', params: [] };
    assert.equal(externalParameters(run)['buildConfigSource'], undefined);
    run.spec.taskRef = { resolver: 'bundles', params: [] };
    assert.deepStrictEqual(externalParameters(run)['buildConfigSource'], {
      ref: 'sha1:ab123',
      repository: 'git+https://github.com/test',
      path: 'build.yaml',
    });
  });

  it('fills runSpec defaults as Go encodes the v1 spec', () => {
    const pr = pipelineRunInput('slsa-v2alpha4', 'pipelinerun1', [])
      .run as PipelineRun;
    pr.spec = { params: [], pipelineRef: { name: 'p' } };
    assert.deepStrictEqual(externalParameters(pr)['runSpec'], {
      pipelineRef: { name: 'p' },
      taskRunTemplate: {},
    });
  });
});

describe('protojson timestamps', () => {
  const table: [string, string | undefined][] = [
    ['2021-03-29T09:50:00Z', '2021-03-29T09:50:00Z'],
    ['2021-03-29T09:50:00.5Z', '2021-03-29T09:50:00.500Z'],
    ['2021-03-29T09:50:00.000123Z', '2021-03-29T09:50:00.000123Z'],
    ['1995-12-24T06:12:12.000000012+12:00', '1995-12-23T18:12:12.000000012Z'],
    ['2021-03-29T23:30:00-01:00', '2021-03-30T00:30:00Z'],
    ['yesterday', undefined],
  ];
  for (const [input, expected] of table) {
    it(`${input} → ${String(expected)}`, () =>
      assert.equal(toProtoTimestamp(input), expected));
  }
  it('ignores non-strings', () =>
    assert.equal(toProtoTimestamp(12), undefined));
  // Simple UTC values (whole seconds or milliseconds) skip the Date round trip: each must give what the
  // general path gives for the same instant written with one more fraction digit, in range or not.
  it('simple UTC values as the general path writes them', () => {
    const pad = (v: number, w = 2) => String(v).padStart(w, '0');
    let checked = 0;
    for (const y of [50, 100, 1900, 2000, 2023, 2024, 2100, 9999])
      for (let mo = 0; mo <= 13; mo++)
        for (let d = 0; d <= 32; d++)
          for (const [h, mi, s] of [
            [0, 0, 0],
            [23, 59, 59],
            [24, 0, 60],
          ])
            for (const frac of ['', '.000', '.120']) {
              const date = `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
              const at = `${date}T${pad(h!)}:${pad(mi!)}:${pad(s!)}`;
              const general = toProtoTimestamp(`${at}${frac || '.'}0Z`);
              assert.equal(toProtoTimestamp(`${at}${frac}Z`), general, at);
              checked++;
            }
    assert.equal(checked, 8 * 14 * 33 * 3 * 3);
  });
});
