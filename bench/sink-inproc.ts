// The real attestRun handler (loadConfig → makeDeps → makeAttestRun) served by functions-framework's own
// express app on a real HTTP server in this process, with (a) a local key + directory store or
// (b) the KMS and GCS stand-ins reached through their client libraries.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ff from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { makeAttestRun } from '../functions/attest-run.js';
import { attestRunDeps, makeDeps } from '../functions/deps.js';
import { loadConfig } from '../shared/config.js';
import { createJsonLogger } from '../shared/log.js';
import { send } from './http.js';
import { KUBE_TOKEN, type StandIns } from './stand-ins.js';
import type { Timeline } from './timeline.js';

export type SinkKind = 'local' | 'kms';
export const BUCKET = 'bench-attestations';

export interface InProcSink {
  kind: SinkKind;
  url: string;
  // The stored envelope's payload bytes (the statement) for a store key from the 200 reply.
  payload(key: string): Promise<Buffer>;
  close(): Promise<void>;
}

let registered = 0;

// Envelope JSON → decoded payload bytes.
const payloadOf = (envelope: Buffer) =>
  Buffer.from(
    (JSON.parse(envelope.toString()) as { payload: string }).payload,
    'base64'
  );

// With a timeline, the handler's source, signer and store are timed (bench/timeline.ts).
export async function startInProcSink(
  kind: SinkKind,
  si: StandIns,
  timeline?: Timeline
): Promise<InProcSink> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-sink-'));
  const env: Record<string, string> = {
    RUN_SOURCE: 'kubernetes',
    KUBE_SERVER: si.kubeUrl,
    KUBE_TOKEN,
    ...(kind === 'local'
      ? { STORE: join(dir, 'store') }
      : {
          STORE: `gs://${BUCKET}`,
          SIGNER: si.kmsRef,
          KMS_ENDPOINT: si.kmsRestUrl,
        }),
  };
  // Log lines are formatted as in production, then dropped (they would interleave with the table).
  const logger = createJsonLogger(() => undefined);
  const deps = makeDeps(loadConfig(env), logger, {
    cwd: dir,
    ...(kind === 'kms' ? { storeOptions: { apiEndpoint: si.gcsUrl } } : {}),
  });
  const name = `benchAttestRun${++registered}`;
  const handlerDeps = attestRunDeps(deps);
  ff.http(
    name,
    timeline
      ? timeline.handler(makeAttestRun(timeline.instrument(handlerDeps)))
      : makeAttestRun(handlerDeps)
  );
  const server: Server = getTestServer(name);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    kind,
    url,
    payload: async (key) =>
      payloadOf(
        kind === 'local'
          ? await readFile(join(dir, 'store', key))
          : (
              await send(
                'GET',
                `${si.gcsUrl}/storage/v1/b/${BUCKET}/o/${encodeURIComponent(key)}?alt=media`
              )
            ).body
      ),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
