import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { KeyManagementServiceClient } from '@google-cloud/kms';
import { createSigner } from '../../shared/signers/create-signer.js';
import { createStore } from '../../shared/stores/create-store.js';
import { FsStore } from '../../shared/stores/fs-store.js';
import { loadKeys } from '../../shared/verify/keys.js';
import { parsePolicy } from '../../shared/verify/policy.js';
import { verifyDigest } from '../../shared/verify/verify-digest.js';
import { startGcsServer } from '../stand-ins/gcs-server.js';
import { runCli as cli } from '../cli/run-cli.js';
import { startKmsServer } from '../stand-ins/kms-server.js';
import {
  attest,
  eventIdOf,
  exampleInput,
  IMAGE_HEX,
  imageHexOf,
  makeKey,
  pushBody,
  REVISION,
  signEvent,
  tempDir,
  type TestKey,
} from './harness.js';

process.env.METADATA_SERVER_DETECTION = 'none';
const DIGEST = `sha256:${IMAGE_HEX}`;
const MINER_DIGEST = `sha256:${imageHexOf(exampleInput('inject-miner'))}`;
const POLICY = `trustedTasks:
  - bundle: gcr.io/tekton-releases/catalog/upstream/git-clone
  - bundle: gcr.io/tekton-releases/catalog/upstream/buildah
  - git: https://github.com/acme/ci-tasks.git
    path: tasks/unit-tests.yaml
  - git: https://github.com/acme/ci-tasks.git
    path: tasks/trivy-scan.yaml
  - name: send-to-webhook-slack
requireTriggerEvent: true
eventBindings:
  - param: revision
    event: head_commit.id
`;
const eventId = (variant: 'trusted' | 'inject-miner') =>
  eventIdOf(exampleInput(variant));

describe('tekton-provenance verify (CLI)', function () {
  let dir: string;
  let cleanup: () => Promise<void>;
  let key: TestKey;

  before(async () => {
    ({ dir, cleanup } = await tempDir());
    key = await makeKey(dir, 'key');
    await writeFile(join(dir, 'policy.yaml'), POLICY);
    await writeFile(
      join(dir, 'bad-policy.yaml'),
      'trustedTasks:\n  - bundle: x\n    digest: latest\n'
    );
    for (const variant of ['trusted', 'inject-miner'] as const) {
      const store = new FsStore(join(dir, variant));
      await signEvent(store, key.signer, eventId(variant), pushBody(REVISION));
      await attest(store, key.signer, exampleInput(variant));
    }
  });
  after(() => cleanup());

  const args = (store: string, ...more: string[]) => [
    'verify',
    store === 'inject-miner' ? MINER_DIGEST : DIGEST,
    '--store',
    store,
    '--key',
    'key.pub.pem',
    '--policy',
    'policy.yaml',
    ...more,
  ];

  it('prints the chain and passing checks, exit 0', async () => {
    const { code, stdout, stderr } = await cli(args('trusted'), dir);
    assert.equal(stderr, '');
    assert.equal(code, 0);
    const lines = stdout.split('\n');
    assert.equal(
      lines[0],
      `subject ${DIGEST} (us-docker.pkg.dev/acme-prod/apps/web)`
    );
    assert.match(lines[1] ?? '', /^result {2}PASSED: \d+ passed, 0 failed$/);
    assert.match(
      stdout,
      /\n {2}event 8c1d2f4e-6a3b-4c59-9e0d-7b2a1f6c3d84 sha256:[0-9a-f]{12}… \(push \[unauthenticated header\], github-hmac-sha256: verified\) \[verified\]\n {2}└─▶ PipelineRun ci\/build-push-x7k2q d2ed455b/
    );
    const order = [
      'git-clone',
      'security-scan',
      'unit-tests',
      'image-build',
      'notify',
    ].map((t) => stdout.indexOf(`. ${t}  Succeeded  trusted`));
    assert.ok(
      order.every((i, n) => i > 0 && (n === 0 || i > (order[n - 1] ?? 0))),
      stdout
    );
    assert.match(stdout, /after {2}security-scan, unit-tests/);
    assert.match(
      stdout,
      /\n {2}PASS event-binding revision = head_commit.id: /
    );
  });

  it('names the inline inject-miner task on stderr, exit 1', async () => {
    const { code, stdout, stderr } = await cli(args('inject-miner'), dir);
    assert.equal(code, 1);
    assert.equal(
      stderr,
      'verify: TASK_UNTRUSTED inject-miner: untrusted task inject-miner: inline taskSpec\n'
    );
    assert.match(stdout, /result {2}FAILED: \d+ passed, 1 failed/);
    assert.match(
      stdout,
      /inject-miner {2}Succeeded {2}UNTRUSTED: inline taskSpec/
    );
  });

  it('--json prints the documented schema', async () => {
    const { code, stdout, stderr } = await cli(
      args('inject-miner', '--json'),
      dir
    );
    assert.equal(code, 1);
    assert.equal(stderr, '');
    const report = JSON.parse(stdout);
    assert.deepEqual(Object.keys(report).sort(), [
      'attestations',
      'checks',
      'digest',
      'events',
      'passed',
      'runs',
      'schemaVersion',
      'subjectNames',
      'verifiedAt',
    ]);
    assert.equal(report.schemaVersion, 1);
    assert.equal(report.digest, MINER_DIGEST);
    assert.equal(report.passed, false);
    assert.deepEqual(Object.keys(report.attestations[0]).sort(), [
      'buildType',
      'format',
      'key',
      'keyid',
      'kind',
      'predicateType',
      'verified',
    ]);
    const [run] = report.runs;
    assert.deepEqual(Object.keys(run).sort(), [
      'builderId',
      'event',
      'finishedOn',
      'formats',
      'kind',
      'name',
      'namespace',
      'params',
      'ref',
      'startedOn',
      'status',
      'tasks',
      'uid',
    ]);
    assert.deepEqual(Object.keys(run.event).sort(), [
      'authentication',
      'digest',
      'eventId',
      'eventType',
      'key',
      'receivedAt',
      'unauthenticated',
      'verified',
    ]);
    const miner = run.tasks.find(
      (t: { name: string }) => t.name === 'inject-miner'
    );
    assert.deepEqual(miner, {
      name: 'inject-miner',
      after: ['git-clone'],
      ref: 'inline taskSpec',
      refType: 'inline',
      status: 'Succeeded',
      startedOn: miner.startedOn,
      finishedOn: miner.finishedOn,
      trusted: false,
      reason: 'inline taskSpec',
    });
    assert.deepEqual(
      report.checks.filter((c: { passed: boolean }) => !c.passed),
      [
        {
          check: 'trusted-task',
          target: 'inject-miner',
          passed: false,
          code: 'TASK_UNTRUSTED',
          message: 'untrusted task inject-miner: inline taskSpec',
        },
      ]
    );
  });

  it('--graph mermaid and dot draw event → PipelineRun → tasks → image', async () => {
    const mermaid = await cli(args('inject-miner', '--graph', 'mermaid'), dir);
    assert.equal(mermaid.code, 1);
    const m = mermaid.stdout.trimEnd().split('\n');
    assert.equal(m[0], 'flowchart LR');
    assert.ok(
      m
        .slice(1)
        .every((l) =>
          /^ {2}(\w+\["[^"]*"\]|\w+ --> \w+|classDef .+|class [\w,]+ failed)$/.test(
            l
          )
        ),
      mermaid.stdout
    );
    assert.ok(m.includes('  ev0 --> run0'));
    assert.ok(
      m.some((l) =>
        /^ {2}run0t\d+\["inject-miner \(Succeeded\) UNTRUSTED"\]$/.test(l)
      )
    );
    assert.ok(m.filter((l) => l.includes(' --> ')).length >= 8);
    const dot = await cli(args('trusted', '--graph', 'dot'), dir);
    assert.equal(dot.code, 0);
    const d = dot.stdout.trimEnd().split('\n');
    assert.equal(d[0], 'digraph provenance {');
    assert.equal(d.at(-1), '}');
    assert.ok(d.includes('  ev0 -> run0;'));
    assert.ok(d.includes('  run0 -> image;'));
  });

  const usage: [string, string[], RegExp][] = [
    [
      'a malformed digest',
      ['verify', 'sha256:abc', '--store', 'trusted', '--key', 'key.pub.pem'],
      /expected DIGEST as sha256:<64 lowercase hex>/,
    ],
    [
      'no --key',
      ['verify', DIGEST, '--store', 'trusted'],
      /expected at least one --key KEY/,
    ],
    [
      'no --store',
      ['verify', DIGEST, '--key', 'key.pub.pem'],
      /expected --store STORE/,
    ],
    [
      'an unknown --graph',
      [...args('trusted'), '--graph', 'svg'],
      /expected --graph mermaid or dot, got "svg"/,
    ],
    [
      'an invalid policy',
      [
        'verify',
        DIGEST,
        '--store',
        'trusted',
        '--key',
        'key.pub.pem',
        '--policy',
        'bad-policy.yaml',
      ],
      /CONFIG_INVALID: policy bad-policy.yaml: trustedTasks\[0\].digest: expected sha256:<64 hex>, got "latest"/,
    ],
    [
      'a missing policy',
      [...args('trusted').slice(0, -1), 'nope.yaml'],
      /expected a readable policy file/,
    ],
    [
      'a missing key file',
      ['verify', DIGEST, '--store', 'trusted', '--key', 'nope.pem'],
      /expected a readable PEM public key/,
    ],
    [
      'a key file that is not a key',
      ['verify', DIGEST, '--store', 'trusted', '--key', 'policy.yaml'],
      /expected a PEM public key in policy.yaml/,
    ],
  ];
  for (const [what, argv, message] of usage) {
    it(`exits 2 on ${what}`, async () => {
      const { code, stdout, stderr } = await cli(argv, dir);
      assert.equal(code, 2);
      assert.equal(stdout, '');
      assert.match(stderr, message);
    });
  }

  it('reads a gs:// store through the GCS client (stand-in)', async () => {
    const gcs = await startGcsServer();
    try {
      const store = await createStore('gs://attestations/prov', {
        apiEndpoint: gcs.url,
      });
      await signEvent(
        store,
        key.signer,
        eventId('trusted'),
        pushBody(REVISION)
      );
      await attest(store, key.signer, exampleInput('trusted'));
      const ok = await cli(
        [
          'verify',
          DIGEST,
          '--store',
          'gs://attestations/prov',
          '--key',
          'key.pub.pem',
          '--policy',
          'policy.yaml',
        ],
        dir,
        { STORAGE_EMULATOR_HOST: gcs.url }
      );
      assert.equal(ok.stderr, '');
      assert.equal(ok.code, 0);
      const missing = await cli(
        [
          'verify',
          DIGEST,
          '--store',
          'gs://attestations/elsewhere',
          '--key',
          'key.pub.pem',
        ],
        dir,
        { STORAGE_EMULATOR_HOST: gcs.url }
      );
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /^verify: ATTESTATION_MISSING sha256:8697/);
    } finally {
      await gcs.close();
    }
  });

  it('verifies with gcpkms:// keys across a key rotation (KMS stand-in)', async () => {
    const kms = await startKmsServer({ versions: 2 });
    const kmsClient = new KeyManagementServiceClient({
      apiEndpoint: '127.0.0.1',
      port: kms.port,
      sslCreds: grpc.credentials.createInsecure(),
    });
    try {
      const refs = [1, 2].map((n) => `${kms.ref}/cryptoKeyVersions/${n}`);
      const [v1, v2] = await Promise.all(
        refs.map((r) => createSigner(r, { kmsClient }))
      );
      const store = new FsStore(join(dir, 'kms'));
      await signEvent(store, v1!, eventId('trusted'), pushBody(REVISION));
      await attest(store, v2!, exampleInput('trusted'));
      const policy = parsePolicy(POLICY, 'policy.yaml');
      const both = await verifyDigest(IMAGE_HEX, {
        store,
        keys: await loadKeys(refs, { kmsClient }),
        policy,
        now: new Date(),
      });
      assert.deepEqual(
        both.checks.filter((c) => !c.passed),
        []
      );
      const newest = await verifyDigest(IMAGE_HEX, {
        store,
        keys: await loadKeys([refs[1]!], { kmsClient }),
        policy,
        now: new Date(),
      });
      assert.deepEqual(
        [...new Set(newest.checks.filter((c) => !c.passed).map((c) => c.code))],
        ['EVENT_SIGNATURE_INVALID', 'EVENT_BINDING_MISMATCH']
      );
    } finally {
      await kmsClient.close();
      await kms.close();
    }
  });
});
