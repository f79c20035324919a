// The Grafeas stand-in's in-memory notes and occurrences, validated the way Container Analysis does:
// resource names checked, the note must exist, the occurrence's kind follows its details and must match
// its note's kind, resourceUri is required, and occurrence names are projects/P/occurrences/<generated id>.
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';

export type Msg = Record<string, unknown>;

// A gRPC status the handler answers with instead of a reply.
export class GrpcFailure extends Error {
  constructor(
    readonly code: grpc.status,
    message: string
  ) {
    super(message);
  }
}

const PROJECT = /^projects\/[^/]+$/;
const NOTE = /^projects\/[^/]+\/notes\/[^/]+$/;
const OCCURRENCE = /^projects\/[^/]+\/occurrences\/[^/]+$/;

// The detail fields (proto-loader camelCase) and the NoteKind each implies.
const KINDS: Record<string, string> = {
  vulnerability: 'VULNERABILITY',
  build: 'BUILD',
  image: 'IMAGE',
  package: 'PACKAGE',
  deployment: 'DEPLOYMENT',
  discovery: 'DISCOVERY',
  attestation: 'ATTESTATION',
  upgrade: 'UPGRADE',
  compliance: 'COMPLIANCE',
  dsseAttestation: 'DSSE_ATTESTATION',
  vulnerabilityAssessment: 'VULNERABILITY_ASSESSMENT',
  sbomReference: 'SBOM_REFERENCE',
  secret: 'SECRET',
};

const invalid = (message: string) =>
  new GrpcFailure(grpc.status.INVALID_ARGUMENT, message);

export function checkName(re: RegExp, value: unknown, what: string): string {
  if (typeof value === 'string' && re.test(value)) return value;
  throw invalid(`${what} must be ${String(re)}, got ${JSON.stringify(value)}`);
}
export const names = { PROJECT, NOTE, OCCURRENCE };

// The kind the set oneof (notes: `type`, occurrences: `details`) implies.
function kindOf(msg: Msg, oneof: 'type' | 'details', what: string): string {
  const kind = KINDS[String(msg[oneof])];
  if (kind) return kind;
  throw invalid(`${what} must set one of its details (e.g. attestation)`);
}

function timestamp(now: Date): Msg {
  const ms = now.getTime();
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
}

export class GrafeasState {
  readonly notes = new Map<string, Msg>();
  readonly occurrences = new Map<string, Msg>();

  createNote(parent: unknown, noteId: unknown, note: Msg | null): Msg {
    const project = checkName(PROJECT, parent, 'parent');
    if (typeof noteId !== 'string' || noteId === '' || noteId.includes('/'))
      throw invalid('note_id is required');
    if (!note) throw invalid('note is required');
    const name = `${project}/notes/${noteId}`;
    if (this.notes.has(name))
      throw new GrpcFailure(grpc.status.ALREADY_EXISTS, `${name} exists`);
    const time = timestamp(new Date());
    const stored = { ...note, name, kind: kindOf(note, 'type', 'note') };
    this.notes.set(name, { ...stored, createTime: time, updateTime: time });
    return this.notes.get(name)!;
  }

  note(name: unknown): Msg {
    const found = this.notes.get(checkName(NOTE, name, 'name'));
    if (found) return found;
    throw new GrpcFailure(grpc.status.NOT_FOUND, `note ${String(name)}`);
  }

  createOccurrence(parent: unknown, occ: Msg | null): Msg {
    const project = checkName(PROJECT, parent, 'parent');
    if (!occ) throw invalid('occurrence is required');
    if (typeof occ['resourceUri'] !== 'string' || occ['resourceUri'] === '')
      throw invalid('occurrence.resource_uri is required');
    const note = this.note(checkName(NOTE, occ['noteName'], 'note_name'));
    const kind = kindOf(occ, 'details', 'occurrence');
    const sent = occ['kind'];
    if (sent !== 'NOTE_KIND_UNSPECIFIED' && sent !== undefined && sent !== kind)
      throw invalid(
        `occurrence kind ${JSON.stringify(sent)} does not match ${kind}`
      );
    if (kind !== note['kind'])
      throw invalid(
        `occurrence kind ${kind} != note kind ${String(note['kind'])}`
      );
    if (kind === 'ATTESTATION') checkAttestation(occ['attestation'] as Msg);
    const name = `${project}/occurrences/${randomUUID()}`;
    const time = timestamp(new Date());
    const stored = { ...occ, name, kind, createTime: time, updateTime: time };
    this.occurrences.set(name, stored);
    return stored;
  }

  occurrence(name: unknown): Msg {
    const found = this.occurrences.get(checkName(OCCURRENCE, name, 'name'));
    if (found) return found;
    throw new GrpcFailure(grpc.status.NOT_FOUND, `occurrence ${String(name)}`);
  }
}

// AttestationOccurrence.serialized_payload is required, and so is every signature's public_key_id.
function checkAttestation(att: Msg): void {
  const payload = att['serializedPayload'] as Buffer | undefined;
  if (!payload || payload.length === 0)
    throw invalid('attestation.serialized_payload is required');
  const sigs = (att['signatures'] ?? []) as Msg[];
  if (sigs.some((s) => !s['publicKeyId']))
    throw invalid('attestation.signatures[].public_key_id is required');
}
