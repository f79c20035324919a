import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main.js';
import { makeAttestRun } from '../../functions/attest-run.js';
import { attestRunDeps, makeDeps } from '../../functions/deps.js';
import { loadConfig } from '../../shared/config.js';
import {
  makeEnvelope,
  parseEnvelope,
  preAuthEncoding,
  decodePayload,
} from '../../shared/core/dsse.js';
import { createMemoryLogger } from '../../shared/log.js';
import { LocalKeySigner } from '../../shared/signers/local-key-signer.js';
import { serveFunction, walkFiles } from './harness.js';
import { eventFor, makeRuns } from './runs-world.js';

describe('reliability/security: tampered and swapped envelopes are caught by verify', function () {
  this.timeout(30_000);
  let dir: string;
  let pub: string;
  let digests: string[];
  let base: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reliability-verify-'));
    base = join(dir, 'base');
    const deps = makeDeps(
      loadConfig({
        STORE: base,
        RUN_SOURCE: 'event',
        FORMATS: 'slsa/v0.2,slsa/v1.0',
      }),
      createMemoryLogger(),
      { cwd: dir }
    );
    const sink = await serveFunction(makeAttestRun(attestRunDeps(deps)));
    for (const run of makeRuns(2, 0, 0, 'vfy'))
      assert.equal((await sink.send(eventFor(run))).status, 200);
    await sink.close();
    pub = join(dir, 'signing.pub.pem');
    await writeFile(pub, (await deps.signer()).publicKeyPem);
    digests = [
      ...new Set(
        (await walkFiles(base))
          .filter((f) => f.startsWith('sha256/'))
          .map((f) => f.split('/')[1]!)
      ),
    ];
    assert.equal(digests.length, 2, 'two images attested');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function verify(
    store: string,
    digest: string
  ): Promise<{ code: number; err: string }> {
    let err = '';
    const code = await main(
      ['verify', `sha256:${digest}`, '--store', store, '--key', pub],
      {
        stdout: () => undefined,
        stderr: (t) => void (err += t),
        env: {},
        cwd: dir,
      }
    );
    return { code, err };
  }

  // A copy of the untouched store with one object replaced by `change(bytes)`.
  async function tampered(
    name: string,
    key: string,
    change: (bytes: Buffer) => Buffer | Promise<Buffer>
  ) {
    const store = join(dir, name);
    await cp(base, store, { recursive: true });
    await writeFile(
      join(store, key),
      await change(await readFile(join(store, key)))
    );
    return store;
  }

  it('untouched attestations verify (exit 0)', async () => {
    for (const d of digests) assert.equal((await verify(base, d)).code, 0);
  });

  it('a changed payload byte, a swapped envelope, a foreign signature and a truncated object all fail (exit 1)', async () => {
    const [mine, other] = digests as [string, string];
    const key = (await walkFiles(join(base, 'sha256', mine))).find((f) =>
      f.endsWith('slsa-v0.2.dsse.json')
    )!;
    const target = `sha256/${mine}/${key}`;
    const otherKey = (await walkFiles(join(base, 'sha256', other))).find((f) =>
      f.endsWith('slsa-v0.2.dsse.json')
    )!;
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const intruder = LocalKeySigner.fromPem(
      privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    );
    const cases: Record<string, (b: Buffer) => Buffer | Promise<Buffer>> = {
      'payload byte': (b) => {
        const env = parseEnvelope(b);
        const body = decodePayload(env);
        body[body.length - 3] = body[body.length - 3]! ^ 1;
        return Buffer.from(
          JSON.stringify({ ...env, payload: body.toString('base64') })
        );
      },
      'swapped envelope': () => readFile(join(base, 'sha256', other, otherKey)),
      'foreign signature': async (b) => {
        const env = parseEnvelope(b);
        const body = decodePayload(env);
        const sig = await intruder.sign(preAuthEncoding(env.payloadType, body));
        return Buffer.from(
          JSON.stringify(
            makeEnvelope(env.payloadType, body, intruder.keyId, sig)
          )
        );
      },
      truncated: (b) => b.subarray(0, b.length >> 1),
    };
    for (const [name, change] of Object.entries(cases)) {
      const { code, err } = await verify(
        await tampered(name.replace(/ /g, '-'), target, change),
        mine
      );
      assert.equal(code, 1, `${name}: expected exit 1, got ${code} (${err})`);
      assert.ok(err.length > 0, `${name}: the failure is named`);
    }
  });
});
