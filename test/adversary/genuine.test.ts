// The genuine release under the shipped policy: it passes (recorded deliveries, signed trigger event, CLI),
// the inline inject-miner fails, and no foreign TaskRun an ordinary CI user creates changes that verdict.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EXAMPLES, readExampleEvents } from '../../scripts/example-events.js';
import { runCli } from '../cli/run-cli.js';
import { postEvent } from '../functions/sink-harness.js';
import {
  assertFails,
  assertPasses,
  deliverOk,
  POLICY_FILE,
  runEvent,
  useSink,
  verify,
  type Json,
} from './harness.js';
import {
  all,
  buildsImage,
  child,
  EVENT_ID_LABEL,
  example,
  imageHex,
  inlineStep,
  ownTaskRun,
  type Runs,
} from './objects.js';
import { signTrigger } from './trigger.js';

const victimLabels = (runs: Runs): Record<string, string> =>
  child(runs, 'image-build').metadata.labels;

// TaskRuns a CI user can create next to the genuine run (none is a child: no ownerReference, not in childReferences).
const FOREIGN: [string, (runs: Runs) => Json][] = [
  [
    'a copy with the victim labels building the attacker image',
    (r) =>
      buildsImage(
        ownTaskRun(
          child(r, 'image-build'),
          'x7k2q-build',
          'ci',
          victimLabels(r)
        )
      ),
  ],
  [
    'labelled with the victim uid but another pipelineRun name',
    (r) =>
      inlineStep(
        ownTaskRun(child(r, 'unit-tests'), 'mine-tests', 'ci', {
          'tekton.dev/pipelineRunUID': r.pipelineRun.metadata.uid,
          'tekton.dev/pipelineRun': 'mine',
        })
      ),
  ],
  [
    'in namespace attacker, naming the genuine digest',
    (r) => inlineStep(ownTaskRun(child(r, 'image-build'), 'veto', 'attacker')),
  ],
  [
    'in namespace attacker, with the victim labels',
    (r) =>
      ownTaskRun(
        child(r, 'image-build'),
        'x7k2q-b',
        'attacker',
        victimLabels(r)
      ),
  ],
  [
    'a standalone inline TaskRun with the genuine event id, attacker image',
    (r) =>
      buildsImage(
        inlineStep(
          ownTaskRun(child(r, 'image-build'), 'solo', 'ci', {
            [EVENT_ID_LABEL]: r.pipelineRun.metadata.labels[EVENT_ID_LABEL],
          })
        )
      ),
  ],
];

describe('adversary: the genuine release under the shipped policy', function () {
  this.timeout(60000);
  const scene = useSink();

  it('the recorded deliveries of examples/tep-0084 with the signed trigger event PASS (API and CLI)', async () => {
    const { sink } = scene;
    const runs = await example();
    await signTrigger(sink);
    sink.kube.setRuns(all(runs));
    for (const e of await readExampleEvents(EXAMPLES.pipeline)) {
      const res = await postEvent(sink, e);
      assert.ok([200, 202, 204].includes(res.status), e.file);
    }
    const report = await verify(sink, imageHex(runs.pipelineRun));
    assertPasses(report);
    assert.equal(
      report.runs.find((r) => r.kind === 'PipelineRun')?.event?.verified,
      true
    );
    const pub = join(sink.dir, '..', 'key.pub.pem');
    await writeFile(pub, (await sink.signer()).publicKeyPem);
    const digest = `sha256:${imageHex(runs.pipelineRun)}`;
    const argv = ['verify', digest, '--store', sink.dir, '--key', pub];
    const cli = await runCli([...argv, '--policy', resolve(POLICY_FILE)], '.');
    assert.equal(cli.code, 0, cli.stderr);
  });

  it('the inject-miner release (inline task) FAILS TASK_UNTRUSTED', async () => {
    const runs = await example('injectMiner');
    await signTrigger(scene.sink, 'interceptor-request-inject-miner.json');
    await deliverOk(scene.sink, all(runs));
    const report = await verify(scene.sink, imageHex(runs.pipelineRun));
    assertFails(report, 'TASK_UNTRUSTED');
  });

  for (const [what, make] of FOREIGN) {
    it(`a foreign TaskRun changes no verdict: ${what}`, async () => {
      const { sink } = scene;
      const runs = await example();
      const foreign = make(runs);
      await signTrigger(sink);
      sink.kube.upsert(foreign);
      await deliverOk(sink, all(runs));
      // Its own event may be attested (200) or refused (422); either way the verdict must not move.
      const res = await postEvent(sink, runEvent(foreign));
      assert.ok([200, 422].includes(res.status), JSON.stringify(res.body));
      assertPasses(await verify(sink, imageHex(runs.pipelineRun)));
    });
  }
});
