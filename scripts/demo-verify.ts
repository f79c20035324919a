// Demo step: `tekton-provenance verify` on each example image with the shipped policy; the clean pipeline
// passes and the one with the inline inject-miner task fails, naming it.
import { resolve } from 'node:path';
import { main } from '../cli/main.js';
import type { DemoContext, DemoStep } from './demo.js';

const POLICY = 'examples/tep-0084/policy.yaml';

// The image digest a PipelineRun attested: the hex of its sha256/<hex>/… keys.
function subjectDigest(keys: readonly string[]): string | undefined {
  const key = keys.find((k) => k.startsWith('sha256/'));
  return key === undefined ? undefined : `sha256:${key.split('/')[1]}`;
}

async function verify(ctx: DemoContext, digest: string): Promise<number> {
  const out: string[] = [];
  const argv = [
    'verify',
    digest,
    '--store',
    ctx.storeDir,
    '--key',
    resolve(ctx.root, '.demo/keys/signing.pub.pem'),
    '--policy',
    POLICY,
  ];
  ctx.print(
    `  $ tekton-provenance ${argv.join(' ').replace(ctx.root + '/', '')}`
  );
  const code = await main(argv, {
    stdout: (text) => void out.push(text),
    stderr: (text) => void out.push(text),
    env: {},
    cwd: ctx.root,
  });
  // The full report has one PASS line per check; the demo shows the chain and what failed.
  for (const line of out.join('').trimEnd().split('\n'))
    if (!line.trimStart().startsWith('PASS ')) ctx.print(`    ${line}`);
  ctx.print(`  exit ${code}: ${code === 0 ? 'PASS' : 'FAIL'}`);
  return code;
}

// Needs the PipelineRun keys recorded by postEvents; the demo fails if the verdicts are not as expected.
export const verifyStep: DemoStep = {
  title: `tekton-provenance verify with ${POLICY}`,
  async run(ctx) {
    const expected = new Map([
      ['examples/tep-0084', 0],
      ['examples/tep-0084/inject-miner', 1],
    ]);
    for (const [dir, keys] of ctx.pipelineRunKeys) {
      const digest = subjectDigest(keys);
      if (digest === undefined)
        throw new Error(`${dir}: no subject was attested`);
      ctx.print(`\n  ${dir}`);
      const code = await verify(ctx, digest);
      if (code !== expected.get(dir))
        throw new Error(
          `${dir}: verify exited ${code}, expected ${expected.get(dir)}`
        );
    }
  },
};
