import assert from 'node:assert/strict';
import { isLayoutKey, signalKey } from '../../shared/core/layout.js';
import {
  buildAttestedSignal,
  signalMarker,
  unionSubjects,
} from '../../shared/core/signal.js';
import type { TektonRun } from '../../shared/core/types.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const run = {
  kind: 'PipelineRun',
  metadata: { namespace: 'ci', name: 'build-1', uid: 'u-1' },
} as TektonRun;

describe('core: the attested signal', () => {
  it('unions sha256 subjects: one per digest (smallest name), sorted by name, others left out', () => {
    const union = unionSubjects([
      [
        { name: 'registry/z', digest: { sha256: A.toUpperCase() } },
        { name: 'registry/b', digest: { sha256: B } },
        { name: 'git', digest: { sha1: 'c'.repeat(40) } },
        { name: 'short', digest: { sha256: 'abc' } },
      ],
      [{ name: 'registry/a', digest: { sha256: A, sha512: 'd' } }],
      [{ name: 'registry/y', digest: { sha256: A } }],
    ]);
    assert.deepEqual(union, [
      { name: 'registry/a', digest: { sha256: A } },
      { name: 'registry/b', digest: { sha256: B } },
    ]);
    assert.deepEqual(unionSubjects([]), []);
  });

  it('builds the exact message bytes and attributes, and a marker carrying those bytes unsigned', () => {
    const signal = buildAttestedSignal({
      run,
      subjects: [{ name: 'registry/img', digest: { sha256: A } }],
      keys: [`sha256/${A}/pipelinerun-u-1.slsa-v0.2.dsse.json`, 'runs/x'],
      formats: ['slsa/v0.2', 'slsa/v0.2', 'slsa/v1.0'],
      store: 'gs://bucket/',
    });
    assert.equal(
      signal.data.toString('utf8'),
      '{"type":"tekton-provenance.attested.v1",' +
        '"run":{"kind":"PipelineRun","namespace":"ci","name":"build-1","uid":"u-1"},' +
        `"subjects":[{"name":"registry/img","digest":{"sha256":"${A}"}}],` +
        `"keys":["sha256/${A}/pipelinerun-u-1.slsa-v0.2.dsse.json","runs/x"],` +
        '"formats":["slsa/v0.2","slsa/v1.0"],"store":"gs://bucket/"}'
    );
    assert.deepEqual(signal.attributes, {
      type: 'tekton-provenance.attested.v1',
      kind: 'PipelineRun',
      uid: 'u-1',
      namespace: 'ci',
    });
    assert.deepEqual(signalMarker(signal), {
      payloadType: 'application/vnd.tekton-provenance.signal+json',
      payload: signal.data.toString('base64'),
      signatures: [],
    });
  });

  it('keeps the marker under the run prefix, inside the layout, apart from format keys', () => {
    const id = {
      kind: 'pipelinerun',
      namespace: 'ci',
      name: 'b',
      uid: 'u',
    } as const;
    assert.equal(signalKey(id), 'runs/ci/pipelinerun-b-u/attested.signal.json');
    assert.ok(isLayoutKey(signalKey(id)));
    for (const key of [
      'runs/ci/pipelinerun-b-u/x.signal.json',
      'runs/ci/attested.signal.json',
      'runs/ci/pipelinerun-b-u/../attested.signal.json',
    ])
      assert.equal(isLayoutKey(key), false, key);
  });
});
