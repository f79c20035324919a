import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  chainsV1,
  EXPECTED,
  readJson,
  skipWithoutChainsTestdata,
  TESTDATA,
} from '../core/slsa-v1-fixtures.js';
import { runCli } from './run-cli.js';

// The parts of printed payloads the tests read.
interface Printed {
  subject?: unknown;
  completionTime?: string;
  predicate: {
    runDetails: {
      builder: { id: string };
      metadata: { invocationId?: string };
    };
  };
}

const TASK_RUN_YAML = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: build-1
  namespace: ci
  uid: 0b7a1c2e-uid
  labels:
    app: demo
spec:
  taskRef:
    name: build
status:
  startTime: "2024-05-01T10:00:00Z"
  completionTime: "2024-05-01T10:01:00Z"
  conditions:
    - type: Succeeded
      status: "True"
  steps:
    - name: build
      container: step-build
      imageID: docker-pullable://gcr.io/acme/builder@sha256:${'a'.repeat(64)}
  results:
    - name: IMAGE_URL
      value: gcr.io/acme/app
    - name: IMAGE_DIGEST
      value: sha256:${'b'.repeat(64)}
`;

describe('cli statement', function () {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tp-statement-'));
    await writeFile(join(dir, 'taskrun.yaml'), TASK_RUN_YAML);
    await writeFile(
      join(dir, 'broken.yaml'),
      'kind: TaskRun\nmetadata: [unclosed\n'
    );
    await writeFile(
      join(dir, 'configmap.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: y\n  uid: z\n'
    );
    await writeFile(
      join(dir, 'no-uid.yaml'),
      TASK_RUN_YAML.replace(/ {2}uid: .*\n/, '')
    );
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints a deterministic slsa/v1.0 statement as 2-space JSON', async () => {
    const argv = [
      'statement',
      'taskrun.yaml',
      '--format',
      'slsa/v1.0',
      '--builder-id',
      'me',
    ];
    const first = await runCli(argv, dir);
    const second = await runCli(argv, dir);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stderr, '');
    assert.equal(first.stdout, second.stdout);
    const statement = JSON.parse(first.stdout) as Printed;
    assert.equal(first.stdout, `${JSON.stringify(statement, null, 2)}\n`);
    assert.deepStrictEqual(statement.subject, [
      { name: 'gcr.io/acme/app', digest: { sha256: 'b'.repeat(64) } },
    ]);
    assert.equal(statement.predicate.runDetails.builder.id, 'me');
    assert.equal(
      statement.predicate.runDetails.metadata.invocationId,
      '0b7a1c2e-uid'
    );
  });

  it('prints the tekton run status for --format tekton', async () => {
    const ran = await runCli(
      ['statement', 'taskrun.yaml', '--format', 'tekton'],
      dir
    );
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(
      (JSON.parse(ran.stdout) as Printed).completionTime,
      '2024-05-01T10:01:00Z'
    );
  });

  const refused: [string, string[], RegExp][] = [
    ['invalid YAML', ['statement', 'broken.yaml'], /YAML/],
    ['a ConfigMap', ['statement', 'configmap.yaml'], /ConfigMap|apiVersion/],
    [
      'a run without metadata.uid',
      ['statement', 'no-uid.yaml'],
      /metadata\.uid/,
    ],
    [
      'an unknown format',
      ['statement', 'taskrun.yaml', '--format', 'simplesigning'],
      /format/,
    ],
    [
      'an unknown build type',
      ['statement', 'taskrun.yaml', '--build-type', 'x'],
      /build-type/,
    ],
    ['a missing file', ['statement', 'absent.yaml'], /absent\.yaml/],
    ['no RUN argument', ['statement'], /RUN/],
  ];
  for (const [what, argv, message] of refused) {
    it(`refuses ${what}: exit 2, one stderr line, nothing on stdout`, async () => {
      const ran = await runCli(argv, dir);
      assert.equal(ran.code, 2);
      assert.equal(ran.stdout, '');
      assert.match(ran.stderr, message);
      assert.equal(ran.stderr.trimEnd().split('\n').length, 1, ran.stderr);
    });
  }

  it('reads RUN from stdin with "-" (spawned CLI)', function () {
    this.timeout(20000);
    const cli = resolve(process.cwd(), 'cli/main.ts');
    const out = spawnSync(
      process.execPath,
      ['--import', 'tsx', cli, 'statement', '-', '--format', 'slsa/v1.0'],
      { input: TASK_RUN_YAML, encoding: 'utf8', cwd: process.cwd() }
    );
    assert.equal(out.status, 0, out.stderr);
    assert.equal(
      (JSON.parse(out.stdout) as Printed).predicate.runDetails.builder.id,
      'https://tekton.dev/chains/v2'
    );
  });

  describe('with Chains fixtures', function () {
    before(function () {
      skipWithoutChainsTestdata(this);
    });

    it('prints expected/slsa-v1.0/pipelinerun1.deep-inspection.json for a PipelineRun and a --taskruns directory', async () => {
      type Doc = {
        metadata: Record<string, unknown> & { labels: Record<string, string> };
        status: Record<string, unknown>;
      };
      const read = (name: string) =>
        readJson(`${TESTDATA}/slsa-v2alpha4/${name}.json`) as Doc;
      const pr = read('pipelinerun1');
      const withNs = (name: string) => {
        const doc = name === 'pipelinerun1' ? pr : read(name);
        doc.metadata.namespace = 'default';
        if (name === 'pipelinerun1') return JSON.stringify(doc);
        // The fixtures share one uid; our input de-duplicates children by uid.
        doc.metadata.uid = `uid-${name}`;
        // What the controller writes and Chains' fixtures lack (test/fixtures/controller-children.ts).
        const { name: prName, uid } = pr.metadata;
        doc.metadata.ownerReferences = [
          {
            apiVersion: 'tekton.dev/v1',
            kind: 'PipelineRun',
            name: prName,
            uid,
          },
        ];
        const refs = (pr.status.childReferences ?? []) as unknown[];
        pr.status.childReferences = [
          ...refs,
          {
            apiVersion: 'tekton.dev/v1',
            kind: 'TaskRun',
            name: doc.metadata.name,
            pipelineTaskName: doc.metadata.labels['tekton.dev/pipelineTask'],
          },
        ];
        return JSON.stringify(doc);
      };
      await mkdir(join(dir, 'children'));
      // Names sort taskrun1 before taskrun2, the order Chains attached them in.
      await writeFile(
        join(dir, 'children', 'a-taskrun1.json'),
        withNs('taskrun1')
      );
      await writeFile(
        join(dir, 'children', 'b-taskrun2.json'),
        withNs('taskrun2')
      );
      await writeFile(join(dir, 'children', 'notes.txt'), 'ignored');
      await writeFile(join(dir, 'pr.json'), withNs('pipelinerun1'));
      const stray = read('taskrun2');
      stray.metadata.name = 'not-a-child';
      stray.metadata.namespace = 'default';
      stray.metadata.uid = 'uid-stray';
      await writeFile(
        join(dir, 'children', 'c-stray.json'),
        JSON.stringify(stray)
      );
      const ran = await runCli(
        [
          'statement',
          'pr.json',
          '--taskruns',
          'children',
          '--format',
          'slsa/v2alpha4',
          '--deep-inspection',
          '--builder-id',
          'test_builder-1',
        ],
        dir
      );
      assert.equal(ran.code, 0, ran.stderr);
      assert.match(
        ran.stderr,
        /default\/not-a-child .*not-in-child-references/
      );
      const expected = readJson(
        `${EXPECTED}/slsa-v1.0/pipelinerun1.deep-inspection.json`
      );
      assert.deepStrictEqual(chainsV1(JSON.parse(ran.stdout)), expected);
    });
  });
});
