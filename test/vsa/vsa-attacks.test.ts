// What verify --vsa must refuse: the summary decides only when a trusted key signed it for this digest and
// this exact policy; anything else stored under the key fails with VSA_INVALID (never a silent re-judge).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  makeEnvelope,
  parseEnvelope,
  preAuthEncoding,
  serializeEnvelope,
} from '../../shared/core/dsse.js';
import { runCli as cli } from '../cli/run-cli.js';
import {
  CLEAN_HEX,
  MINER_HEX,
  POLICY,
  vsaFixture,
  vsaStatementAt,
  type VsaFixture,
} from './harness.js';

const POLICY_HEX = createHash('sha256').update(POLICY).digest('hex');
const NAME = `vsa-${POLICY_HEX.slice(0, 16)}.dsse.json`;
const TYPE = 'application/vnd.in-toto+json';

describe('verify --vsa refuses forged summaries', function () {
  let f: VsaFixture;
  const path = (hex: string) => join(f.storeDir, 'sha256', hex, NAME);
  const args = (hex: string) => [
    'verify',
    `sha256:${hex}`,
    '--store',
    'store',
    '--key',
    'key.pub.pem',
    '--policy',
    'policy.yaml',
  ];
  const read = (hex: string) =>
    cli([...args(hex), '--vsa', '--vsa-key', 'vsa.pub.pem'], f.dir);

  beforeEach(async () => {
    f = await vsaFixture();
    for (const hex of [CLEAN_HEX, MINER_HEX])
      await cli([...args(hex), '--vsa-signer', 'vsa.pem'], f.dir);
  });
  afterEach(() => f.cleanup());

  it('a FAILED summary edited to PASSED (signature kept) is VSA_INVALID', async () => {
    const env = parseEnvelope(await readFile(path(MINER_HEX)));
    const s = await vsaStatementAt(path(MINER_HEX));
    s.predicate.verificationResult = 'PASSED';
    s.predicate.verifiedLevels = ['SLSA_BUILD_LEVEL_3'];
    const forged = {
      ...env,
      payload: Buffer.from(JSON.stringify(s)).toString('base64'),
    };
    await writeFile(path(MINER_HEX), serializeEnvelope(forged));
    const run = await read(MINER_HEX);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^verify: VSA_INVALID .*does not verify/m);
  });

  it('a PASSED summary signed by the provenance key, not the VSA key, is VSA_INVALID', async () => {
    const s = await vsaStatementAt(path(MINER_HEX));
    s.predicate.verificationResult = 'PASSED';
    const body = Buffer.from(JSON.stringify(s));
    const sig = await f.key.signer.sign(preAuthEncoding(TYPE, body));
    const env = makeEnvelope(TYPE, body, f.key.signer.keyId, sig);
    await writeFile(path(MINER_HEX), serializeEnvelope(env));
    const run = await read(MINER_HEX);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^verify: VSA_INVALID .*none of the 1 given key/m);
  });

  it("the clean image's genuine PASSED summary copied under the miner's digest is VSA_INVALID", async () => {
    await copyFile(path(CLEAN_HEX), path(MINER_HEX));
    const run = await read(MINER_HEX);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      new RegExp(
        `VSA_INVALID .*expected a subject with digest sha256:${MINER_HEX}`
      )
    );
  });

  it("a genuine PASSED summary of a laxer policy, stored under this policy's key, is VSA_INVALID", async () => {
    await writeFile(join(f.dir, 'lax.yaml'), 'requireSucceeded: false\n');
    const lax = [...args(MINER_HEX)];
    lax[lax.indexOf('policy.yaml')] = 'lax.yaml';
    const wrote = await cli([...lax, '--vsa-signer', 'vsa.pem'], f.dir);
    assert.equal(wrote.code, 0, wrote.stderr);
    const laxName = wrote.stderr.match(/vsa-[0-9a-f]{16}\.dsse\.json/)?.[0];
    assert.ok(laxName && laxName !== NAME);
    await copyFile(join(dirname(path(MINER_HEX)), laxName), path(MINER_HEX));
    const run = await read(MINER_HEX);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /VSA_INVALID .*expected policy digest sha256:/);
  });

  it('with no summary stored, --vsa judges the attestations (the miner still fails)', async () => {
    await rm(path(MINER_HEX));
    const run = await read(MINER_HEX);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /no VSA for this policy is stored; judging/);
    assert.match(run.stderr, /TASK_UNTRUSTED inject-miner/);
  });
});
