// Demo step: verify once, keep the verdict. `verify --vsa-signer` writes a signed VSA for each example (the
// clean image PASSED, inject-miner FAILED); `verify --vsa` then decides from the summary alone.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { main } from '../cli/main.js';
import { decodePayload, parseEnvelope } from '../shared/core/dsse.js';
import { generateLocalKey } from '../shared/signers/local-key-signer.js';
import type { DemoContext, DemoStep } from './demo.js';

const POLICY = 'examples/tep-0084/policy.yaml';

async function cli(ctx: DemoContext, argv: string[]) {
  const out: string[] = [];
  const io = {
    // Only the report's `result` line; the full chain was shown by the verify step.
    stdout: (text: string) =>
      void out.push(
        ...text
          .split('\n')
          .filter((l) => l.startsWith('result'))
          .map((l) => `${l}\n`)
      ),
    stderr: (text: string) => void out.push(text),
    env: {},
    cwd: ctx.root,
  };
  ctx.print(
    `  $ tekton-provenance ${argv.join(' ').replaceAll(ctx.root + '/', '')}`
  );
  const code = await main(argv, io);
  for (const line of out.join('').trimEnd().split('\n'))
    ctx.print(`    ${line}`);
  return code;
}

interface VsaPredicate {
  verificationResult: string;
  verifiedLevels: string[];
  policy: { digest: { sha256: string } };
  inputAttestations: unknown[];
}

// The VSA's verdict fields, as `jq .predicate` would show the ones that matter.
async function showVsa(ctx: DemoContext, key: string) {
  const env = parseEnvelope(await readFile(join(ctx.storeDir, key)));
  const { predicate: p } = JSON.parse(decodePayload(env).toString('utf8')) as {
    predicate: VsaPredicate;
  };
  ctx.print(
    `    ${p.verificationResult} ${JSON.stringify(p.verifiedLevels)}, policy sha256:${p.policy.digest.sha256.slice(0, 12)}…, ${p.inputAttestations.length} input attestations, keyid ${env.signatures[0]?.keyid}`
  );
}

export const vsaStep: DemoStep = {
  title: 'Verification summaries (VSA): verify once, keep the signed verdict',
  async run(ctx) {
    const keys = resolve(ctx.root, '.demo/keys');
    await generateLocalKey(keys, 'vsa').catch(() => undefined);
    const expected = new Map([
      ['examples/tep-0084', 0],
      ['examples/tep-0084/inject-miner', 1],
    ]);
    for (const [dir, stored] of ctx.pipelineRunKeys) {
      const digest = `sha256:${stored.find((k) => k.startsWith('sha256/'))?.split('/')[1]}`;
      const base = [
        'verify',
        digest,
        '--store',
        ctx.storeDir,
        '--key',
        join(keys, 'signing.pub.pem'),
        '--policy',
        POLICY,
      ];
      ctx.print(`\n  ${dir}`);
      const wrote = await cli(ctx, [
        ...base,
        '--vsa-signer',
        join(keys, 'vsa.pem'),
      ]);
      const code = await cli(ctx, [
        ...base,
        '--vsa',
        '--vsa-key',
        join(keys, 'vsa.pub.pem'),
      ]);
      if (wrote !== expected.get(dir) || code !== expected.get(dir))
        throw new Error(
          `${dir}: verify exited ${wrote} / ${code}, expected ${expected.get(dir)}`
        );
      const hex = digest.slice('sha256:'.length);
      const vsaKey = (
        await ctx.deps!.store().then((s) => s.list(`sha256/${hex}/`))
      ).find((k) => k.includes('/vsa-'));
      if (vsaKey) await showVsa(ctx, vsaKey);
    }
    ctx.print(
      '\n  inject-miner has a FAILED summary only: no PASSED VSA, so no Binary Authorization attestation.'
    );
  },
};
