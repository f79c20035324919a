// The Grafeas stand-in itself, through the real GrafeasClient: the validation and filters other suites
// rely on behave as Container Analysis documents them.
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import type { GrafeasClient, protos } from '@google-cloud/grafeas';
import {
  IMAGE,
  NOTE,
  RESOURCE_URI,
  fullClient,
  startGrafeas,
  type GrafeasFixture,
} from './harness.js';

type Occurrence = protos.grafeas.v1.IOccurrence;

const attestation = (over: Occurrence = {}): Occurrence => ({
  resourceUri: RESOURCE_URI,
  noteName: NOTE,
  kind: 'ATTESTATION',
  attestation: {
    serializedPayload: Buffer.from('{}'),
    signatures: [
      { publicKeyId: 'ni:///sha-256;x', signature: Buffer.from([1]) },
    ],
  },
  ...over,
});

async function rejectsWith(p: Promise<unknown>, code: grpc.status) {
  await assert.rejects(p, (err: unknown) => {
    assert.equal((err as { code?: unknown }).code, code);
    return true;
  });
}

describe('Grafeas stand-in (real GrafeasClient)', () => {
  let g: GrafeasFixture;
  let client: GrafeasClient;
  const parent = 'projects/attestor-project';
  beforeEach(async () => {
    g = await startGrafeas();
    client = fullClient(g.server);
  });
  afterEach(async () => (await client.close(), await g.close()));

  it('creates, gets and lists notes and occurrences with generated names', async () => {
    const [note] = await client.createNote({
      parent,
      noteId: 'qa',
      note: { attestation: { hint: { humanReadableName: 'qa' } } },
    });
    assert.equal(note.name, `${parent}/notes/qa`);
    assert.equal(note.kind, 'ATTESTATION');
    assert.equal((await client.getNote({ name: NOTE }))[0].name, NOTE);
    const [occ] = await client.createOccurrence({
      parent,
      occurrence: attestation(),
    });
    assert.match(
      occ.name ?? '',
      /^projects\/attestor-project\/occurrences\/[0-9a-f-]{36}$/
    );
    assert.ok(occ.createTime?.seconds);
    const [got] = await client.getOccurrence({ name: occ.name ?? '' });
    assert.ok(
      Buffer.from(got.attestation?.serializedPayload ?? []).equals(
        Buffer.from('{}')
      )
    );
    assert.equal(g.server.occurrences()[0]?.name, occ.name);
    assert.deepEqual(
      g.server
        .notes()
        .map((n) => n.name)
        .sort(),
      [`${parent}/notes/qa`, NOTE]
    );
  });

  it('ANDs resourceUrl and kind filters in ListOccurrences and ListNoteOccurrences', async () => {
    await client.createNote({
      parent,
      noteId: 'b',
      note: { build: { builderVersion: '1' } },
    });
    const build = {
      noteName: `${parent}/notes/b`,
      kind: 'BUILD' as const,
      build: {},
    };
    await client.createOccurrence({ parent, occurrence: attestation() });
    await client.createOccurrence({
      parent,
      occurrence: { resourceUri: RESOURCE_URI, ...build },
    });
    const other = `https://${IMAGE.name}@sha256:${'e'.repeat(64)}`;
    await client.createOccurrence({
      parent,
      occurrence: attestation({ resourceUri: other }),
    });
    const list = async (filter: string) =>
      (await client.listOccurrences({ parent, filter }))[0].length;
    assert.equal(await list(''), 3);
    assert.equal(await list(`resourceUrl="${RESOURCE_URI}"`), 2);
    assert.equal(await list('kind="ATTESTATION"'), 2);
    assert.equal(
      await list(`resourceUrl="${RESOURCE_URI}" AND kind="ATTESTATION"`),
      1
    );
    assert.equal(await list(`kind="BUILD" AND resourceUrl="${other}"`), 0);
    const [forNote] = await client.listNoteOccurrences({
      name: NOTE,
      filter: 'kind="ATTESTATION"',
    });
    assert.equal(forNote.length, 2);
    assert.equal(
      (await client.listOccurrences({ parent: 'projects/elsewhere' }))[0]
        .length,
      0
    );
    await rejectsWith(
      client.listOccurrences({ parent, filter: 'noteId="x"' }),
      grpc.status.INVALID_ARGUMENT
    );
  });

  it('validates like Container Analysis', async () => {
    const bad: [Occurrence, grpc.status][] = [
      [attestation({ resourceUri: '' }), grpc.status.INVALID_ARGUMENT],
      [
        attestation({ noteName: `${parent}/notes/none` }),
        grpc.status.NOT_FOUND,
      ],
      [attestation({ noteName: 'notes/n' }), grpc.status.INVALID_ARGUMENT],
      [attestation({ kind: 'BUILD' }), grpc.status.INVALID_ARGUMENT],
      [
        { resourceUri: RESOURCE_URI, noteName: NOTE, build: {} },
        grpc.status.INVALID_ARGUMENT,
      ],
      [
        { resourceUri: RESOURCE_URI, noteName: NOTE, kind: 'ATTESTATION' },
        grpc.status.INVALID_ARGUMENT,
      ],
      [
        attestation({ attestation: { signatures: [] } }),
        grpc.status.INVALID_ARGUMENT,
      ],
    ];
    for (const [occurrence, code] of bad)
      await rejectsWith(client.createOccurrence({ parent, occurrence }), code);
    await rejectsWith(
      client.createOccurrence({ parent: 'p', occurrence: attestation() }),
      grpc.status.INVALID_ARGUMENT
    );
    await rejectsWith(
      client.getNote({ name: `${parent}/notes/none` }),
      grpc.status.NOT_FOUND
    );
    await rejectsWith(
      client.getOccurrence({ name: `${parent}/occurrences/none` }),
      grpc.status.NOT_FOUND
    );
    await rejectsWith(
      client.listNoteOccurrences({ name: `${parent}/notes/none` }),
      grpc.status.NOT_FOUND
    );
    await rejectsWith(
      client.createNote({
        parent,
        noteId: 'tekton-provenance',
        note: { attestation: {} },
      }),
      grpc.status.ALREADY_EXISTS
    );
    assert.equal(g.server.occurrences().length, 0);
  });

  it('answers injected faults for the next N matching calls, then normally', async () => {
    g.server.inject({ code: grpc.status.PERMISSION_DENIED }, 2, ['GetNote']);
    const call = () => client.getNote({ name: NOTE }, { retry: null });
    await rejectsWith(call(), grpc.status.PERMISSION_DENIED);
    await rejectsWith(call(), grpc.status.PERMISSION_DENIED);
    assert.equal((await call())[0].name, NOTE);
    assert.equal(g.server.counters.getNote, 3);
    assert.equal(g.server.counters.faults, 2);
  });
});
