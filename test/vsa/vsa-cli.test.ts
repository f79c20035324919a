// verify --vsa-signer writes one signed summary per (digest, policy digest); verify --vsa accepts only a
// summary a trusted key signed for this digest and this exact policy.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEnvelope } from '../../shared/core/dsse.js';
import { runCli as cli } from '../cli/run-cli.js';
import { opensslVerifies } from '../signers/openssl-verify.js';
import {
  CLEAN_HEX,
  MINER_HEX,
  POLICY,
  vsaFiles,
  vsaFixture,
  vsaStatementAt,
  type VsaFixture,
} from './harness.js';

const sha256 = (b: Buffer | string) =>
  createHash('sha256').update(b).digest('hex');
const POLICY_HEX = sha256(POLICY);
const VSA_NAME = `vsa-${POLICY_HEX.slice(0, 16)}.dsse.json`;

describe('verify --vsa-signer / --vsa (CLI)', function () {
  let f: VsaFixture;
  const base = (hex: string, ...more: string[]) => [
    'verify',
    `sha256:${hex}`,
    '--store',
    'store',
    '--key',
    'key.pub.pem',
    '--policy',
    'policy.yaml',
    ...more,
  ];
  const write = (hex: string, ...more: string[]) =>
    cli(base(hex, '--vsa-signer', 'vsa.pem', ...more), f.dir);
  const read = (hex: string, ...more: string[]) =>
    cli(base(hex, '--vsa', '--vsa-key', 'vsa.pub.pem', ...more), f.dir);
  const vsaPath = (hex: string, name = VSA_NAME) =>
    join(f.storeDir, 'sha256', hex, name);

  before(async () => {
    f = await vsaFixture();
  });
  after(() => f.cleanup());

  it('a PASS writes exactly one PASSED VSA that openssl verifies over the PAE', async () => {
    const run = await write(CLEAN_HEX);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stderr,
      `verify: wrote VSA sha256/${CLEAN_HEX}/${VSA_NAME} (PASSED)\n`
    );
    assert.deepEqual(await vsaFiles(f.storeDir, CLEAN_HEX), [VSA_NAME]);
    const env = parseEnvelope(await readFile(vsaPath(CLEAN_HEX)));
    const pub = await readFile(f.vsaPub, 'utf8');
    assert.equal(await opensslVerifies(f.dir, env, pub), true);
    const s = await vsaStatementAt(vsaPath(CLEAN_HEX));
    assert.equal(s._type, 'https://in-toto.io/Statement/v1');
    assert.equal(s.predicateType, 'https://slsa.dev/verification_summary/v1');
    assert.deepEqual(s.subject, [
      {
        name: 'us-docker.pkg.dev/acme-prod/apps/web',
        digest: { sha256: CLEAN_HEX },
      },
    ]);
    const p = s.predicate;
    assert.equal(p.verificationResult, 'PASSED');
    assert.deepEqual(p.verifiedLevels, ['SLSA_BUILD_LEVEL_2']);
    assert.equal(p.verifier.id, 'urn:tekton-provenance:verify');
    assert.deepEqual(p.policy.digest, { sha256: POLICY_HEX });
    assert.equal(p.policy.uri, `file://${join(f.dir, 'policy.yaml')}`);
    assert.equal(
      p.resourceUri,
      `us-docker.pkg.dev/acme-prod/apps/web@sha256:${CLEAN_HEX}`
    );
    // Every input is named by its URI and the sha256 of the exact stored bytes.
    assert.ok(p.inputAttestations.length >= 4, JSON.stringify(p));
    for (const input of p.inputAttestations) {
      const path = new URL(input.uri).pathname;
      assert.equal(input.digest.sha256, sha256(await readFile(path)), path);
    }
    const kinds = p.inputAttestations.map((i) =>
      i.uri
        .replace(/^.*\/store\//, '')
        .replace(/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/g, 'ID')
    );
    assert.ok(kinds.includes('events/ID/event.dsse.json'), kinds.join());
    assert.ok(
      kinds.includes(`sha256/${CLEAN_HEX}/pipelinerun-ID.slsa-v1.0.dsse.json`)
    );
  });

  it('a second verification under the same policy changes nothing', async () => {
    const before = await readFile(vsaPath(CLEAN_HEX));
    const mtime = (await stat(vsaPath(CLEAN_HEX))).mtimeMs;
    const run = await write(CLEAN_HEX);
    assert.equal(run.code, 0);
    assert.match(run.stderr, /already stored at .* \(PASSED\); not replaced/);
    assert.deepEqual(await readFile(vsaPath(CLEAN_HEX)), before);
    assert.equal((await stat(vsaPath(CLEAN_HEX))).mtimeMs, mtime);
  });

  it('a FAIL (inject-miner) writes a FAILED VSA, verifiedLevels ["FAILED"]', async () => {
    const run = await write(MINER_HEX);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /wrote VSA .* \(FAILED\)\n/);
    assert.match(run.stderr, /TASK_UNTRUSTED inject-miner/);
    const p = (await vsaStatementAt(vsaPath(MINER_HEX))).predicate;
    assert.equal(p.verificationResult, 'FAILED');
    assert.deepEqual(p.verifiedLevels, ['FAILED']);
  });

  it('--vsa accepts the PASSED summary instead of re-judging', async () => {
    const run = await read(CLEAN_HEX, '--json');
    assert.equal(run.code, 0, run.stdout);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(
      report.checks.map((c: { check: string }) => c.check),
      ['vsa']
    );
    assert.equal(report.runs.length, 0);
    assert.equal(report.vsa.result, 'PASSED');
    assert.equal(report.vsa.policyDigest, `sha256:${POLICY_HEX}`);
  });

  it('--vsa reports a FAILED summary as VSA_FAILED, exit 1', async () => {
    const run = await read(MINER_HEX);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^verify: VSA_FAILED /m);
  });

  it('a policy change (new digest) gets a new VSA beside the old one', async () => {
    await writeFile(
      join(f.dir, 'policy-v2.yaml'),
      `${POLICY}requireSucceeded: true\n`
    );
    const hex2 = sha256(await readFile(join(f.dir, 'policy-v2.yaml')));
    const args = base(CLEAN_HEX, '--vsa-signer', 'vsa.pem');
    args[args.indexOf('policy.yaml')] = 'policy-v2.yaml';
    const run = await cli(args, f.dir);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      await vsaFiles(f.storeDir, CLEAN_HEX),
      [VSA_NAME, `vsa-${hex2.slice(0, 16)}.dsse.json`].sort()
    );
  });

  it('plain verify ignores stored VSAs: same verdict, no TYPE_UNKNOWN', async () => {
    const run = await cli(base(CLEAN_HEX, '--json'), f.dir);
    assert.equal(run.code, 0, run.stdout);
    const report = JSON.parse(run.stdout);
    assert.ok(
      report.attestations.every((a: { key: string }) => !/vsa-/.test(a.key))
    );
  });

  it('no provenance stored: no VSA is written (PENDING), exit 1', async () => {
    const hex = 'ab'.repeat(32);
    const run = await write(hex);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /no VSA written: no provenance/);
    await assert.rejects(stat(join(f.storeDir, 'sha256', hex)), /ENOENT/);
  });

  it('usage: --vsa and --vsa-signer together, or either without --policy, exit 2', async () => {
    const both = await cli(
      [...base(CLEAN_HEX), '--vsa', '--vsa-signer', 'vsa.pem'],
      f.dir
    );
    assert.equal(both.code, 2);
    const noPolicy = await cli(
      [...base(CLEAN_HEX).slice(0, -2), '--vsa'],
      f.dir
    );
    assert.equal(noPolicy.code, 2);
    assert.match(noPolicy.stderr, /expected --policy FILE with --vsa/);
  });
});
