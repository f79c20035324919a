// Issue 16: verifyImage on the 50-task example against plain verify in the same run. Both judge the same
// stored attestations (local key, directory store); verifyImage also signs and stores its VSA (first
// delivery) or reads it back (a duplicate delivery).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ff from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { attestInput } from '../shared/attest.js';
import { loadConfig } from '../shared/config.js';
import { makeRunInput } from '../shared/core/tekton.js';
import {
  parseRunDocument,
  parseTaskRunsDocument,
} from '../shared/core/tekton-documents.js';
import { createMemoryLogger } from '../shared/log.js';
import { createSigner } from '../shared/signers/create-signer.js';
import { FsStore } from '../shared/stores/fs-store.js';
import { publicKeyEntry } from '../shared/core/dsse.js';
import { parsePolicy } from '../shared/verify/policy.js';
import { verifyDigest } from '../shared/verify/verify-digest.js';
import { makeDeps } from '../functions/deps.js';
import { makeVerifyImage } from '../functions/verify-image.js';
import { verifyImageDeps } from '../functions/verify-image-deps.js';
import { genPipeline } from './gen-pipeline.js';
import { now, summarise, type Summary } from './stats.js';

const POLICY = 'requireSucceeded: true\nallowedNamespaces: [ci]\n';

export interface VerifyImageResult {
  tasks: number;
  verifyMs: Summary;
  verifyImageFirstMs: number;
  verifyImageRepeatMs: Summary;
}

export async function measureVerifyImage(
  reps: number,
  tasks = 50
): Promise<VerifyImageResult> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-verify-image-'));
  try {
    const p = genPipeline(tasks, 'bench-verify');
    const input = makeRunInput(
      parseRunDocument(JSON.stringify(p.pipelineRun)),
      parseTaskRunsDocument(JSON.stringify(p.taskRuns))
    );
    const signer = await createSigner(join(dir, 'signing.pem'), {
      generateIfMissing: true,
    });
    const store = new FsStore(join(dir, 'store'));
    const options = {
      builderId: 'https://tekton.dev/chains/v2',
      buildType: 'slsa' as const,
      deepInspection: false,
    };
    const formats = ['slsa/v0.2', 'slsa/v1.0'] as const;
    const { keys } = await attestInput(input, {
      signer,
      store,
      formats,
      options,
    });
    const hex = keys.find((k) => k.startsWith('sha256/'))?.split('/')[1] ?? '';
    await writeFile(join(dir, 'policy.yaml'), POLICY);
    const key = { ...publicKeyEntry(signer.publicKeyPem), source: 'bench' };
    const policy = parsePolicy(POLICY, 'bench');
    const verifyMs: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t = now();
      const report = await verifyDigest(hex, {
        store,
        keys: [key],
        policy,
        now: new Date(),
      });
      verifyMs.push(now() - t);
      if (!report.passed) throw new Error('bench: verify did not pass');
    }
    const config = loadConfig({
      STORE: join(dir, 'store'),
      SIGNER: join(dir, 'signing.pem'),
      VSA_SIGNER: join(dir, 'signing.pem'),
      VSA_POLICY: join(dir, 'policy.yaml'),
    });
    const deps = makeDeps(config, createMemoryLogger(), { cwd: dir });
    ff.http('benchVerifyImage', makeVerifyImage(verifyImageDeps(deps)));
    const http = request(getTestServer('benchVerifyImage'));
    const post = async () => {
      const t = now();
      const res = await http.post('/').send({ digest: `sha256:${hex}` });
      if (res.status !== 200 || res.body.results?.[0]?.result !== 'PASSED')
        throw new Error(`bench: verifyImage answered ${res.status}`);
      return now() - t;
    };
    const first = await post();
    const repeat: number[] = [];
    for (let i = 0; i < reps; i++) repeat.push(await post());
    return {
      tasks,
      verifyMs: summarise(verifyMs),
      verifyImageFirstMs: first,
      verifyImageRepeatMs: summarise(repeat),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
