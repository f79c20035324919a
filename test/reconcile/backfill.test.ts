import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main.js';
import type { CliIo } from '../../cli/io.js';
import { generateLocalKey } from '../../shared/signers/local-key-signer.js';
import { startKubeServer, type KubeStandIn } from '../stand-ins/kube-server.js';
import { makePipeline, makeTaskRun } from './runs.js';

const TOKEN = 'backfill-token';
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);

function kubeconfig(server: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    // The client refuses plain http unless TLS verification is off (the stand-in has no TLS).
    clusters: [
      {
        name: 'stand-in',
        cluster: { server, 'insecure-skip-tls-verify': true },
      },
    ],
    users: [{ name: 'ci-reader', user: { token: TOKEN } }],
    contexts: [
      { name: 'stand-in', context: { cluster: 'stand-in', user: 'ci-reader' } },
    ],
    'current-context': 'stand-in',
  });
}

describe('tekton-provenance backfill (kube stand-in through a kubeconfig)', () => {
  let kube: KubeStandIn;
  let dir: string;
  const cli = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      stdout: (t) => void out.push(t),
      stderr: (t) => void err.push(t),
      env: { HOME: dir },
      cwd: dir,
    };
    const code = await main(['backfill', ...args], io);
    return { code, out: out.join(''), err: err.join('') };
  };
  const base = () => [
    '--kubeconfig',
    'kubeconfig.json',
    '--signer',
    'keys/signing.pem',
    '--store',
    'store',
  ];

  beforeEach(async () => {
    kube = await startKubeServer({ token: TOKEN });
    kube.setRuns([
      makeTaskRun('lint', { completedAt: ago(30) }),
      makeTaskRun('nightly', { namespace: 'ops', completedAt: ago(3 * 60) }),
      ...makePipeline('release', 2, { completedAt: ago(20) }),
    ]);
    dir = await mkdtemp(join(tmpdir(), 'backfill-'));
    await writeFile(join(dir, 'kubeconfig.json'), kubeconfig(kube.url));
    await generateLocalKey(join(dir, 'keys'));
  });
  afterEach(async () => {
    await kube.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('attests the runs of the window in every format asked for, prints the report, exits 0', async () => {
    const res = await cli(
      ...base(),
      '--since',
      '1h',
      '--format',
      'slsa/v0.2',
      '--format',
      'tekton'
    );
    assert.equal(res.code, 0, res.err);
    const report = JSON.parse(res.out);
    assert.equal(report.attestedNow, 4);
    assert.equal(report.outsideWindow, 1);
    assert.equal(report.complete, true);
    const runs = (
      await readdir(join(dir, 'store/runs'), { recursive: true })
    ).filter((f) => f.endsWith('.dsse.json'));
    assert.equal(runs.length, 8);
    assert.ok(kube.requests.every((r) => r.token === TOKEN));
    const again = JSON.parse(
      (
        await cli(
          ...base(),
          '--since',
          '1h',
          '--format',
          'slsa/v0.2',
          '--format',
          'tekton'
        )
      ).out
    );
    assert.equal(again.alreadyAttested, 4);
  });

  it('sweeps only the namespaces given', async () => {
    const res = await cli(...base(), '--since', '1d', '--namespace', 'ops');
    assert.equal(res.code, 0, res.err);
    assert.equal(JSON.parse(res.out).attestedNow, 1);
  });

  it('exits 1 when a run fails to attest, after attesting the others', async () => {
    kube.fault = (req) =>
      req.path.endsWith('/taskruns/lint') ? { status: 503 } : undefined;
    const res = await cli(...base());
    assert.equal(res.code, 1);
    const report = JSON.parse(res.out);
    assert.deepEqual(report.failed.items, [
      { run: 'ci/taskrun/lint', code: 'KUBE_UNAVAILABLE' },
    ]);
    assert.equal(report.attestedNow, 4);
  });

  for (const [what, args] of [
    [
      'a missing --store',
      ['--kubeconfig', 'kubeconfig.json', '--signer', 'keys/signing.pem'],
    ],
    [
      'a bad --since',
      [
        ...[
          '--kubeconfig',
          'kubeconfig.json',
          '--signer',
          'keys/signing.pem',
          '--store',
          'store',
        ],
        '--since',
        'yesterday',
      ],
    ],
    [
      'a bad --format',
      [
        ...[
          '--kubeconfig',
          'kubeconfig.json',
          '--signer',
          'keys/signing.pem',
          '--store',
          'store',
        ],
        '--format',
        'cosign',
      ],
    ],
    [
      'a bad --namespace',
      [
        ...[
          '--kubeconfig',
          'kubeconfig.json',
          '--signer',
          'keys/signing.pem',
          '--store',
          'store',
        ],
        '--namespace',
        'Not_A_Name',
      ],
    ],
  ] as const) {
    it(`exits 2 with one stderr line for ${what}`, async () => {
      const res = await cli(...args);
      assert.equal(res.code, 2);
      assert.match(res.err, /^tekton-provenance backfill: USAGE: expected/);
      assert.equal(kube.requests.length, 0);
    });
  }
});
