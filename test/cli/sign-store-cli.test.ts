import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  parseEnvelope,
  publicKeyEntry,
  verifyEnvelope,
} from '../../shared/core/dsse.js';
import { runCli as cli } from './run-cli.js';

const EXAMPLES = resolve(process.cwd(), 'examples/tep-0084'); // tests run from the repo root
const IMAGE =
  'sha256:86974294393a3a76aac3ba8297e5a0f6400ccb0d8423db1293d55a728a82a201';

// path → sha256 of every file under dir, temporaries included.
async function snapshot(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
  return new Map(
    await Promise.all(
      files.map(
        async (f) =>
          [
            f,
            createHash('sha256')
              .update(await readFile(f))
              .digest('hex'),
          ] as const
      )
    )
  );
}

describe('cli keygen, attest, get', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'cli-sign-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keygen writes a 0600 key pair once and refuses to overwrite it', async () => {
    const ran = await cli(['keygen', '--out', 'keys'], dir);
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /keyid: SHA256:[A-Za-z0-9+/]{43}\n$/);
    assert.equal(
      (await stat(join(dir, 'keys/signing.pem'))).mode & 0o777,
      0o600
    );
    assert.match(
      await readFile(join(dir, 'keys/signing.pub.pem'), 'utf8'),
      /BEGIN PUBLIC KEY/
    );
    const again = await cli(['keygen', '--out', 'keys'], dir);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /SIGNER_INVALID: .*refusing to overwrite/);
    assert.equal((await cli(['keygen'], dir)).code, 2);
  });

  it('attest prints every key, get prints verifiable envelopes, and a second attest changes no byte', async () => {
    await cli(['keygen', '--out', 'keys'], dir);
    const argv = [
      'attest',
      join(EXAMPLES, 'pipelinerun.json'),
      '--taskruns',
      join(EXAMPLES, 'taskruns.json'),
      '--format',
      'slsa/v0.2',
      '--format',
      'slsa/v1.0',
      '--signer',
      'keys/signing.pem',
      '--store',
      'file://./store',
    ];
    const first = await cli(argv, dir);
    assert.equal(first.code, 0, first.stderr);
    const keys = first.stdout.trimEnd().split('\n');
    assert.equal(keys.length, 4);
    assert.ok(keys.every((k) => /^(runs|sha256)\//.test(k)));
    const before = await snapshot(join(dir, 'store'));
    assert.equal(before.size, 4);
    const second = await cli(argv, dir);
    assert.equal(second.stdout, first.stdout);
    assert.match(second.stderr, /stored 0 new, 4 already present/);
    assert.deepEqual(await snapshot(join(dir, 'store')), before);

    const got = await cli(['get', IMAGE, '--store', 'store'], dir);
    assert.equal(got.code, 0, got.stderr);
    const lines = got.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    const key = publicKeyEntry(
      await readFile(join(dir, 'keys/signing.pub.pem'), 'utf8')
    );
    for (const line of lines)
      assert.equal(verifyEnvelope(parseEnvelope(line), [key]).ok, true);
  });

  const usage: [string, string[]][] = [
    ['a malformed digest', ['get', 'sha256:XYZ', '--store', '.']],
    [
      'a digest without algorithm',
      [
        'get',
        '86974294393a3a76aac3ba8297e5a0f6400ccb0d8423db1293d55a728a82a201',
        '--store',
        '.',
      ],
    ],
    ['get without --store', ['get', IMAGE]],
    [
      'attest without --signer',
      ['attest', join(EXAMPLES, 'pipelinerun.json'), '--store', '.'],
    ],
    [
      'an unknown format',
      [
        'attest',
        join(EXAMPLES, 'pipelinerun.json'),
        '--format',
        'simplesigning',
        '--signer',
        'k.pem',
        '--store',
        '.',
      ],
    ],
    ['an unsupported store scheme', ['get', IMAGE, '--store', 's3://bucket']],
  ];
  for (const [what, argv] of usage) {
    it(`exits 2 with one stderr line for ${what}`, async () => {
      const ran = await cli(argv, dir);
      assert.equal(ran.code, 2, ran.stderr);
      assert.equal(ran.stdout, '');
      assert.equal(ran.stderr.trimEnd().split('\n').length, 1);
    });
  }

  it('get exits 1 when nothing is stored for the digest', async () => {
    const ran = await cli(['get', IMAGE, '--store', dir], dir);
    assert.equal(ran.code, 1);
    assert.match(ran.stderr, /ATTESTATION_MISSING/);
  });
});
