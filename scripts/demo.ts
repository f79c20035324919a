// npm run demo: the whole flow on the shipped TEP-0084 examples, with a local Kubernetes API stand-in,
// a local key and a directory store under ./.demo. Each step is an entry of STEPS, so steps can be added.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as ff from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { makeAttestRun } from '../functions/attest-run.js';
import { attestRunDeps, makeDeps, type Deps } from '../functions/deps.js';
import { loadConfig } from '../shared/config.js';
import { createMemoryLogger } from '../shared/log.js';
import {
  startKubeServer,
  type KubeStandIn,
} from '../test/stand-ins/kube-server.js';
import { summariseStatement } from './demo-summary.js';
import { signEventStep } from './demo-sign-event.js';
import { verifyStep } from './demo-verify.js';
import { vsaStep } from './demo-vsa.js';
import {
  EXAMPLES,
  readExampleEvents,
  readExampleRuns,
  type ExampleEvent,
} from './example-events.js';

const TOKEN = 'demo-token';

// What the steps share; later steps (sign-event before, verify after) read and extend it.
export interface DemoContext {
  root: string;
  storeDir: string;
  kube?: KubeStandIn;
  sinkUrl?: string;
  deps?: Deps;
  logger: ReturnType<typeof createMemoryLogger>;
  // Store keys of the PipelineRun attestations, per example folder.
  pipelineRunKeys: Map<string, string[]>;
  closers: (() => Promise<void>)[];
  print(line?: string): void;
}

export interface DemoStep {
  title: string;
  run(ctx: DemoContext): Promise<void>;
}

// What the sink answers: stored keys on 200, a coded error on 4xx/5xx, nothing on 204.
interface SinkReply {
  stored?: string[];
  created?: number;
  error?: { code: string; message: string };
}

async function post(
  url: string,
  event: ExampleEvent
): Promise<{ status: number; body: SinkReply }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: event.headers,
    body: new Uint8Array(event.body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? (JSON.parse(text) as SinkReply) : {},
  };
}

const startStandIn: DemoStep = {
  title: 'Kubernetes API stand-in serving the recorded runs',
  async run(ctx) {
    const kube = await startKubeServer({ token: TOKEN });
    for (const dir of Object.values(EXAMPLES)) {
      const { pipelineRun, taskRuns } = await readExampleRuns(dir);
      [pipelineRun, ...taskRuns].forEach((o) => kube.upsert(o));
    }
    ctx.kube = kube;
    ctx.closers.push(() => kube.close());
    ctx.print(`  ${kube.url} (bearer token required)`);
  },
};

const startSink: DemoStep = {
  title: 'attestRun sink (kubernetes source, local key, directory store)',
  async run(ctx) {
    await rm(ctx.storeDir, { recursive: true, force: true });
    const config = loadConfig({
      KUBE_SERVER: ctx.kube!.url,
      KUBE_TOKEN: TOKEN,
      STORE: ctx.storeDir,
      SIGNER: resolve(ctx.root, '.demo/keys/signing.pem'),
      FORMATS: 'slsa/v0.2,slsa/v1.0',
      ...(process.env.EMBED_TRIGGER_EVENT
        ? { EMBED_TRIGGER_EVENT: process.env.EMBED_TRIGGER_EVENT }
        : {}),
    });
    ctx.deps = makeDeps({ ...config, generateSigner: true }, ctx.logger, {
      cwd: ctx.root,
    });
    ff.http('attestRunDemo', makeAttestRun(attestRunDeps(ctx.deps)));
    const server: Server = getTestServer('attestRunDemo');
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    ctx.sinkUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    ctx.closers.push(() => new Promise((done) => server.close(() => done())));
    ctx.print(
      `  ${ctx.sinkUrl}  store ${ctx.storeDir}  keyid ${(await ctx.deps.signer()).keyId}`
    );
  },
};

const postEvents: DemoStep = {
  title: 'Posting the CloudEvents Tekton sends (binary mode, v1beta1 bodies)',
  async run(ctx) {
    for (const dir of Object.values(EXAMPLES)) {
      for (const event of await readExampleEvents(dir)) {
        const { status, body } = await post(ctx.sinkUrl!, event);
        const type =
          event.headers['Ce-Type']?.replace('dev.tekton.event.', '') ?? '';
        const note =
          status === 200
            ? `${body.created ?? 0} new of ${body.stored?.length ?? 0} keys`
            : (body.error?.code ?? '');
        ctx.print(
          `  ${status} ${type.padEnd(28)} ${event.headers['Ce-Subject'] ?? ''} ${note}`
        );
        if (status === 200 && type.startsWith('pipelinerun'))
          ctx.pipelineRunKeys.set(dir, body.stored ?? []);
        if (status >= 400)
          throw new Error(
            `${event.file}: HTTP ${status} ${JSON.stringify(body)}`
          );
      }
    }
  },
};

const summarise: DemoStep = {
  title: 'What was stored',
  async run(ctx) {
    const store = await ctx.deps!.store();
    for (const [dir, keys] of ctx.pipelineRunKeys) {
      ctx.print(`  ${dir}:`);
      for (const key of keys) ctx.print(`    ${key}`);
      const runKey = keys.find(
        (k) => k.startsWith('runs/') && k.endsWith('slsa-v0.2.dsse.json')
      );
      const envelope = runKey ? await store.get(runKey) : undefined;
      if (envelope)
        summariseStatement(envelope).forEach((line) =>
          ctx.print(`    ${line}`)
        );
    }
    ctx.print(
      `  Kubernetes API calls: ${ctx.kube!.requests.length} (1 GET per run + 1 LIST per PipelineRun)`
    );
  },
};

// The demo's steps in order; the sign-event step goes before postEvents, verify and VSAs after summarise.
export const STEPS: DemoStep[] = [
  startStandIn,
  startSink,
  signEventStep,
  postEvents,
  summarise,
  verifyStep,
  vsaStep,
];

export async function runDemo(
  steps: DemoStep[] = STEPS,
  root = process.cwd()
): Promise<DemoContext> {
  const ctx: DemoContext = {
    root,
    storeDir: resolve(root, '.demo/store'),
    logger: createMemoryLogger(),
    pipelineRunKeys: new Map(),
    closers: [],
    print: (line = '') => console.log(line),
  };
  try {
    for (const [i, step] of steps.entries()) {
      ctx.print(`\n${i + 1}. ${step.title}`);
      await step.run(ctx);
    }
  } finally {
    for (const close of ctx.closers.reverse()) await close();
  }
  return ctx;
}

if (
  process.argv[1]?.endsWith('/scripts/demo.js') ||
  process.argv[1]?.endsWith('/scripts/demo.ts')
) {
  runDemo().then(
    () => console.log('\ndemo finished'),
    (err: unknown) => {
      console.error(
        `demo failed: ${err instanceof Error ? err.message : String(err)}`
      );
      process.exitCode = 1;
    }
  );
}
