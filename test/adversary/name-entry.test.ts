// Attack 8: a `name:` entry with `namespace: ci` matches only a Task of namespace ci; the same name fetched
// by the cluster resolver from another namespace is untrusted.
import { randomUUID } from 'node:crypto';
import {
  assertFails,
  assertPasses,
  deliverOk,
  useSink,
  verify,
} from './harness.js';
import { all, child, example, imageHex, type Runs } from './objects.js';
import { signTrigger } from './trigger.js';

// The notify task (pipeline spec and its TaskRun) fetched by the cluster resolver from namespace.
async function clusterNotify(namespace: string): Promise<Runs> {
  const runs = await example();
  const taskRef = {
    resolver: 'cluster',
    params: [
      { name: 'name', value: 'send-to-webhook-slack' },
      { name: 'kind', value: 'task' },
      { name: 'namespace', value: namespace },
    ],
  };
  runs.pipelineRun.status.pipelineSpec.finally[0].taskRef = taskRef;
  const notify = child(runs, 'notify');
  notify.spec.taskRef = structuredClone(taskRef);
  notify.status.provenance.refSource = {
    uri: `/apis/tekton.dev/v1/namespaces/${namespace}/task/send-to-webhook-slack@${randomUUID()}`,
    digest: { sha256: 'cd'.repeat(32) },
  };
  return runs;
}

describe('adversary 8: name entries and namespaces', function () {
  this.timeout(60000);
  const scene = useSink();

  async function verdict(runs: Runs) {
    await signTrigger(scene.sink);
    await deliverOk(scene.sink, all(runs));
    return verify(scene.sink, imageHex(runs.pipelineRun));
  }

  it('send-to-webhook-slack by the cluster resolver from namespace attacker → FAIL TASK_UNTRUSTED', async () => {
    assertFails(
      await verdict(await clusterNotify('attacker')),
      'TASK_UNTRUSTED'
    );
  });

  it('the same cluster-resolver ref from namespace ci still matches (PASS)', async () => {
    assertPasses(await verdict(await clusterNotify('ci')));
  });
});
