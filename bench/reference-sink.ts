// The reference sink: what any sink must do per event, with no statement logic and no client libraries.
// node:http server; GET the run ‖ LIST its TaskRuns (keep-alive, bearer token); JSON.parse both;
// JSON.stringify a statement of the size the real sink stores; DSSE PAE + SHA-256 + one signature (local
// ECDSA, or one bare REST AsymmetricSign to the KMS stand-in); envelope in base64; 2 create-only writes,
// the second after the first (fsync'd files, or GCS multipart uploads with ifGenerationMatch=0).
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preAuthEncoding } from '../shared/core/dsse.js';
import { crc32c } from '../shared/signers/crc32c.js';
import { send } from './http.js';
import { kmsSignRaw } from './reference-kms.js';
import { BUCKET, type SinkKind } from './sink-inproc.js';
import { KUBE_TOKEN, type StandIns } from './stand-ins.js';

export interface ReferenceSink {
  url: string;
  // The statement it signs (the real sink's, parsed): set before each size is measured.
  setStatement(statement: unknown): void;
  close(): Promise<void>;
}

const TYPE = 'application/vnd.in-toto+json';
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

// The event names the run (and its uid); the GET and the LIST go out together, as in the real sink.
async function fetchRun(si: StandIns, body: Buffer) {
  const event = JSON.parse(body.toString()) as {
    pipelineRun: { metadata: { name: string; namespace: string; uid: string } };
  };
  const { name, namespace, uid } = event.pipelineRun.metadata;
  const base = `${si.kubeUrl}/apis/tekton.dev/v1/namespaces/${namespace}`;
  const auth = { authorization: `Bearer ${KUBE_TOKEN}` };
  const selector = encodeURIComponent(`tekton.dev/pipelineRunUID=${uid}`);
  const [run, list] = await Promise.all([
    send('GET', `${base}/pipelineruns/${name}`, auth),
    send('GET', `${base}/taskruns?labelSelector=${selector}`, auth),
  ]);
  JSON.parse(run.body.toString());
  JSON.parse(list.body.toString());
  return name;
}

async function fileWrite(path: string, bytes: Buffer): Promise<void> {
  const file = await open(path, 'wx', 0o644);
  try {
    await file.writeFile(bytes);
    await file.sync();
  } finally {
    await file.close();
  }
}

async function gcsWrite(si: StandIns, name: string, bytes: Buffer) {
  const boundary = 'reference-boundary';
  const meta = JSON.stringify({ name, contentType: 'application/json' });
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\ncontent-type: application/json\r\n\r\n${meta}\r\n--${boundary}\r\ncontent-type: application/json\r\n\r\n`
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const url = `${si.gcsUrl}/upload/storage/v1/b/${BUCKET}/o?uploadType=multipart&ifGenerationMatch=0&name=${encodeURIComponent(name)}`;
  const type = { 'content-type': `multipart/related; boundary=${boundary}` };
  const reply = await send('POST', url, type, body);
  if (reply.status !== 200) throw new Error(`GCS upload: ${reply.status}`);
}

export async function startReferenceSink(
  kind: SinkKind,
  si: StandIns
): Promise<ReferenceSink> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-ref-'));
  let statement: unknown = {};
  let seq = 0;
  const signature = async (pae: Buffer) => {
    if (kind === 'local') return sign('sha256', pae, privateKey);
    const sha256 = createHash('sha256').update(pae).digest();
    return kmsSignRaw(si, sha256, crc32c(sha256));
  };
  const write = (name: string, bytes: Buffer) =>
    kind === 'local'
      ? fileWrite(join(dir, name), bytes)
      : gcsWrite(si, `ref/${name}`, bytes);
  const handle = async (body: Buffer) => {
    const name = await fetchRun(si, body);
    const doc = Buffer.from(JSON.stringify(statement));
    const sig = await signature(preAuthEncoding(TYPE, doc));
    const env = {
      payloadType: TYPE,
      payload: doc.toString('base64'),
      signatures: [{ keyid: '', sig: sig.toString('base64') }],
    };
    const bytes = Buffer.from(`${JSON.stringify(env)}\n`);
    const id = `${name}-${++seq}`;
    await write(`${id}.subject`, bytes);
    await write(`${id}.run`, bytes);
    return JSON.stringify({ stored: [`${id}.subject`, `${id}.run`] });
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(Buffer.concat(chunks)).then(
        (reply) =>
          res.writeHead(200, { 'content-type': 'application/json' }).end(reply),
        (err: unknown) => res.writeHead(503).end(String(err))
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    setStatement: (s) => (statement = s),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
