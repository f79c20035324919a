// The Grafeas stand-in's method handlers: count, apply any fault, then answer from GrafeasState.
import * as grpc from '@grpc/grpc-js';
import { matchesFilter, pageOf, parseFilter } from './grafeas-filter.js';
import type { GrafeasFault, GrafeasMethod } from './grafeas-server.js';
import {
  checkName,
  GrpcFailure,
  names,
  type GrafeasState,
  type Msg,
} from './grafeas-state.js';

export interface GrafeasCounters {
  createOccurrence: number;
  getOccurrence: number;
  listOccurrences: number;
  listNoteOccurrences: number;
  getNote: number;
  createNote: number;
  faults: number;
}

type Call = grpc.ServerUnaryCall<Msg, unknown>;
type Done = grpc.sendUnaryData<unknown>;

interface HandlerDeps {
  defaultPageSize: number;
  nextFault(method: GrafeasMethod, seq: number): GrafeasFault | undefined;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const counterOf = (m: GrafeasMethod) =>
  (m[0]!.toLowerCase() + m.slice(1)) as keyof GrafeasCounters;

// A filtered, paged list reply; an unknown filter term is INVALID_ARGUMENT, as on the real API.
function listed(req: Msg, all: Msg[], defaultPageSize: number): Msg {
  const filter = parseFilter(str(req['filter']));
  if (!filter)
    throw new GrpcFailure(
      grpc.status.INVALID_ARGUMENT,
      `unsupported filter ${JSON.stringify(req['filter'])}`
    );
  const matching = all.filter((o) => matchesFilter(filter, o));
  const page = pageOf(
    matching,
    Number(req['pageSize'] ?? 0),
    str(req['pageToken']),
    defaultPageSize
  );
  if (!page)
    throw new GrpcFailure(
      grpc.status.INVALID_ARGUMENT,
      'bad page size or token'
    );
  return { occurrences: page.shown, nextPageToken: page.next };
}

function answers(state: GrafeasState, pageSize: number) {
  const all = () => [...state.occurrences.values()];
  return {
    CreateOccurrence: (r: Msg) =>
      state.createOccurrence(r['parent'], r['occurrence'] as Msg | null),
    GetOccurrence: (r: Msg) => state.occurrence(r['name']),
    ListOccurrences: (r: Msg) => {
      const parent = checkName(names.PROJECT, r['parent'], 'parent');
      const mine = all().filter((o) =>
        String(o['name']).startsWith(`${parent}/occurrences/`)
      );
      return listed(r, mine, pageSize);
    },
    ListNoteOccurrences: (r: Msg) => {
      const note = String(state.note(r['name'])['name']);
      return listed(
        r,
        all().filter((o) => o['noteName'] === note),
        pageSize
      );
    },
    GetNote: (r: Msg) => state.note(r['name']),
    CreateNote: (r: Msg) =>
      state.createNote(r['parent'], r['noteId'], r['note'] as Msg | null),
  } satisfies Record<GrafeasMethod, (r: Msg) => Msg>;
}

// Handlers for addService plus the counters they keep.
export function makeHandlers(state: GrafeasState, deps: HandlerDeps) {
  const counters: GrafeasCounters = {
    createOccurrence: 0,
    getOccurrence: 0,
    listOccurrences: 0,
    listNoteOccurrences: 0,
    getNote: 0,
    createNote: 0,
    faults: 0,
  };
  let seq = 0;
  const handlers: grpc.UntypedServiceImplementation = {};
  const answer = answers(state, deps.defaultPageSize);
  for (const [method, reply] of Object.entries(answer)) {
    const m = method as GrafeasMethod;
    const handle = async (call: Call, done: Done) => {
      counters[counterOf(m)]++;
      const fault = deps.nextFault(m, ++seq);
      if (fault) counters.faults++;
      if (fault && 'code' in fault)
        return done({
          code: fault.code,
          details: `injected ${grpc.status[fault.code]}`,
        });
      if (fault) await new Promise((r) => setTimeout(r, fault.delayMs));
      try {
        done(null, reply(call.request));
      } catch (err) {
        // A stand-in bug answers INTERNAL rather than hanging the caller.
        const failure =
          err instanceof GrpcFailure
            ? err
            : new GrpcFailure(grpc.status.INTERNAL, String(err));
        done({ code: failure.code, details: failure.message });
      }
    };
    handlers[m] = (call: Call, done: Done) => void handle(call, done);
  }
  return { handlers, counters };
}
