// The physical floor of one attestation: work any sink must do on the same data, with nothing else.
// JSON.parse of the fetched run and child list + JSON.stringify of the statement + SHA-256 + base64 +
// one ECDSA P-256 signature (over the 32-byte digest).
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { send } from './http.js';
import { KUBE_TOKEN, type StandIns } from './stand-ins.js';
import { now, summarise, type Summary } from './stats.js';

export interface FetchedBytes {
  run: Buffer;
  list: Buffer;
}

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

// The exact bytes the API server sends the sink for this PipelineRun: its GET and its child LIST.
export async function fetchedBytes(
  si: StandIns,
  namespace: string,
  name: string,
  uid: string
): Promise<FetchedBytes> {
  const base = `${si.kubeUrl}/apis/tekton.dev/v1/namespaces/${namespace}`;
  const auth = { authorization: `Bearer ${KUBE_TOKEN}` };
  const selector = encodeURIComponent(`tekton.dev/pipelineRunUID=${uid}`);
  const [run, list] = await Promise.all([
    send('GET', `${base}/pipelineruns/${name}`, auth),
    send('GET', `${base}/taskruns?labelSelector=${selector}`, auth),
  ]);
  return { run: run.body, list: list.body };
}

// One pass of the floor, in milliseconds.
function floorOnce(bytes: FetchedBytes, statement: unknown): number {
  const t0 = now();
  JSON.parse(bytes.run.toString());
  JSON.parse(bytes.list.toString());
  const body = Buffer.from(JSON.stringify(statement));
  const digest = createHash('sha256').update(body).digest();
  body.toString('base64');
  sign('sha256', digest, privateKey);
  return now() - t0;
}

// The floor over `reps` passes (after two warm-up passes) on the bytes and statement of one real event.
export function measureFloor(
  bytes: FetchedBytes,
  statementBody: Buffer,
  reps: number
): Summary {
  const statement = JSON.parse(statementBody.toString()) as unknown;
  floorOnce(bytes, statement);
  floorOnce(bytes, statement);
  return summarise(
    Array.from({ length: reps }, () => floorOnce(bytes, statement))
  );
}
