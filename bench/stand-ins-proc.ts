// The stand-ins (Kubernetes API, KMS over gRPC and REST, GCS JSON API) in their own process, so their CPU is not
// counted as the sink's: in production they are other machines. Driven by the parent over IPC.
import { startGcsServer } from '../test/stand-ins/gcs-server.js';
import { startKmsServer } from '../test/stand-ins/kms-server.js';
import { startKubeServer } from '../test/stand-ins/kube-server.js';
import { genPipeline } from './gen-pipeline.js';

export const KUBE_TOKEN = 'bench-token';

// What the parent asks for; every request is answered with { id, value } or { id, error }.
export type StandInOp =
  | { op: 'addPipeline'; tasks: number; name: string; namespace: string }
  | { op: 'removePipeline'; tasks: number; name: string; namespace: string }
  | {
      op: 'populate';
      pipelines: number;
      tasks: number;
      namespaces: number;
      prefix: string;
    }
  | { op: 'clearRuns' }
  | { op: 'clearObjects' }
  | { op: 'counters' };

export interface StandInInfo {
  kubeUrl: string;
  // The KMS stand-in's REST face (what production's transport speaks), and its gRPC host:port.
  kmsRestUrl: string;
  kmsEndpoint: string;
  kmsRef: string;
  gcsUrl: string;
}

export interface StandInCounters {
  kubeRequests: number;
  kmsAsymmetricSign: number;
  kmsGetPublicKey: number;
  kmsGetCryptoKey: number;
  kmsDataReceived: number;
  gcsUploads: number;
  gcsObjects: number;
}

async function main(): Promise<void> {
  const [kube, kms, gcs] = await Promise.all([
    startKubeServer({ token: KUBE_TOKEN }),
    startKmsServer(),
    startGcsServer(),
  ]);
  const add = (tasks: number, name: string, namespace: string) => {
    const p = genPipeline(tasks, name, namespace);
    for (const o of [p.pipelineRun, ...p.taskRuns]) kube.upsert(o);
    return p.pipelineRun.metadata.uid as string;
  };
  const handle = (m: StandInOp): unknown => {
    switch (m.op) {
      case 'addPipeline':
        return add(m.tasks, m.name, m.namespace);
      case 'removePipeline':
        kube.remove('pipelineruns', m.namespace, m.name);
        for (let i = 0; i < m.tasks; i++)
          kube.remove('taskruns', m.namespace, `${m.name}-task-${i}`);
        return true;
      case 'populate':
        for (let i = 0; i < m.pipelines; i++)
          add(m.tasks, `${m.prefix}-${i}`, `team-${i % m.namespaces}`);
        return m.pipelines * (m.tasks + 1);
      case 'clearRuns':
        kube.setRuns([]);
        kube.requests.length = 0;
        return true;
      case 'clearObjects':
        gcs.objects.clear();
        return true;
      case 'counters':
        return {
          kubeRequests: kube.requests.length,
          kmsAsymmetricSign: kms.counters.asymmetricSign,
          kmsGetPublicKey: kms.counters.getPublicKey,
          kmsGetCryptoKey: kms.counters.getCryptoKey,
          kmsDataReceived: kms.counters.dataReceived,
          gcsUploads: gcs.counters.uploads,
          gcsObjects: gcs.objects.size,
        } satisfies StandInCounters;
    }
  };
  process.on('message', (msg: { id: number } & StandInOp) => {
    let reply: object;
    try {
      reply = { id: msg.id, value: handle(msg) };
    } catch (err) {
      reply = {
        id: msg.id,
        error: err instanceof Error ? err.message : String(err),
      };
    }
    process.send?.(reply);
  });
  process.on('disconnect', () => {
    void Promise.all([kube.close(), kms.close(), gcs.close()]).then(() =>
      process.exit(0)
    );
  });
  const info: StandInInfo = {
    kubeUrl: kube.url,
    kmsRestUrl: kms.restUrl,
    kmsEndpoint: `127.0.0.1:${kms.port}`,
    kmsRef: kms.ref,
    gcsUrl: gcs.url,
  };
  process.send?.({ ready: info });
}

void main();
