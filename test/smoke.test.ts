import assert from 'node:assert/strict';
import { formatToken, parseFormat } from '../shared/core/formats.js';
import {
  eventDigestKey,
  eventKey,
  runKey,
  subjectKey,
} from '../shared/core/layout.js';
import { StorageError, UsageError } from '../shared/core/errors.js';

describe('formats and layout', () => {
  it('maps Chains aliases to our formats', () => {
    assert.equal(parseFormat('in-toto'), 'slsa/v0.2');
    assert.equal(parseFormat('slsa/v2alpha4'), 'slsa/v1.0');
    assert.equal(formatToken('slsa/v1.0'), 'slsa-v1.0');
    assert.throws(() => parseFormat('simplesigning'), UsageError);
  });

  it('builds CONTRACT §4 keys and refuses traversal', () => {
    const run = {
      kind: 'pipelinerun',
      namespace: 'ci',
      name: 'build-1',
      uid: 'abc-123',
    } as const;
    assert.equal(
      runKey(run, 'slsa/v0.2'),
      'runs/ci/pipelinerun-build-1-abc-123/slsa-v0.2.dsse.json'
    );
    assert.equal(
      subjectKey('a'.repeat(64), run, 'tekton'),
      `sha256/${'a'.repeat(64)}/pipelinerun-abc-123.tekton.dsse.json`
    );
    assert.throws(
      () => runKey({ ...run, name: '../x' }, 'tekton'),
      StorageError
    );
    assert.throws(
      () => runKey({ ...run, namespace: 'a/b' }, 'tekton'),
      StorageError
    );
  });
});

describe('event ids in keys', () => {
  it('refuses ids that could put ".." into a key', () => {
    assert.equal(
      eventDigestKey('b'.repeat(64), 'abc'),
      `sha256/${'b'.repeat(64)}/event-abc.dsse.json`
    );
    for (const id of ['abc.', '.abc', 'a/b', '..', 'a\u0000b']) {
      assert.throws(() => eventKey(id), StorageError, id);
    }
  });
});
