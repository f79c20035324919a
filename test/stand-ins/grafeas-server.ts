// gRPC stand-in for Container Analysis speaking the real grafeas.v1.Grafeas service (the protos shipped in
// @google-cloud/grafeas), in memory. Stable API, reused by other suites:
//
//   const g = await startGrafeasServer({ notes: ['projects/p/notes/n'] }); // ATTESTATION notes made up front
//   const client = await createGrafeasClient({ endpoint: g.endpoint });     // the real GrafeasClient
//   g.occurrences() / g.notes()   copies of what is stored (payloads and signatures as Buffers)
//   g.counters                    calls received per method (faulted ones included) and faults answered
//   g.inject({ code: grpc.status.UNAVAILABLE }, 2, ['CreateOccurrence'])   fail the next 2 such calls
//   g.inject({ delayMs: 500 })    delay the next call of any method, then answer it normally
//   g.clearFaults()               drop the injected faults not yet answered
//   await g.close()
//
// Methods: CreateOccurrence, GetOccurrence, ListOccurrences, ListNoteOccurrences, GetNote, CreateNote;
// validation and filters as grafeas-state.ts and grafeas-filter.ts describe. Others answer UNIMPLEMENTED.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { makeHandlers, type GrafeasCounters } from './grafeas-handlers.js';
import { GrafeasState } from './grafeas-state.js';
import {
  toStoredNote,
  toStoredOccurrence,
  type StoredNote,
  type StoredOccurrence,
} from './grafeas-views.js';

export type { GrafeasCounters, StoredNote, StoredOccurrence };
export type GrafeasMethod =
  | 'CreateOccurrence'
  | 'GetOccurrence'
  | 'ListOccurrences'
  | 'ListNoteOccurrences'
  | 'GetNote'
  | 'CreateNote';
// A fault replaces (code) or delays (delayMs) one reply.
export type GrafeasFault = { code: grpc.status } | { delayMs: number };

export interface GrafeasServerOptions {
  // ATTESTATION notes to create at start (names projects/P/notes/N).
  notes?: string[];
  // Page size when a list request gives none (Container Analysis: 20).
  defaultPageSize?: number;
  // Asked after the injected queue; seq counts every call.
  fault?: (method: GrafeasMethod, seq: number) => GrafeasFault | undefined;
}

export interface GrafeasServer {
  port: number;
  endpoint: string; // 127.0.0.1:<port>, for createGrafeasClient({ endpoint })
  occurrences(): StoredOccurrence[];
  notes(): StoredNote[];
  counters: GrafeasCounters;
  inject(fault: GrafeasFault, times?: number, methods?: GrafeasMethod[]): void;
  // Drops every injected fault not yet answered.
  clearFaults(): void;
  close(): Promise<void>;
}

let service: grpc.ServiceDefinition | undefined;

// Loads the real service definition once per process, camelCase like the client library's decoding.
function loadService(): grpc.ServiceDefinition {
  if (service) return service;
  const require = createRequire(import.meta.url);
  const grafeasProtos = join(
    dirname(require.resolve('@google-cloud/grafeas')),
    '../protos'
  );
  const gaxProtos = join(dirname(require.resolve('google-gax')), '../protos');
  const def = protoLoader.loadSync('grafeas/v1/grafeas.proto', {
    includeDirs: [grafeasProtos, gaxProtos],
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    grafeas: { v1: { Grafeas: { service: grpc.ServiceDefinition } } };
  };
  return (service = pkg.grafeas.v1.Grafeas.service);
}

// Starts the stand-in on 127.0.0.1 with insecure credentials.
export async function startGrafeasServer(
  opts: GrafeasServerOptions = {}
): Promise<GrafeasServer> {
  const state = new GrafeasState();
  for (const name of opts.notes ?? []) {
    const [, project, noteId] =
      /^(projects\/[^/]+)\/notes\/(.+)$/.exec(name) ?? [];
    state.createNote(project, noteId, {
      type: 'attestation',
      attestation: { hint: { humanReadableName: noteId } },
    });
  }
  const queue: { fault: GrafeasFault; methods?: GrafeasMethod[] }[] = [];
  const { handlers, counters } = makeHandlers(state, {
    defaultPageSize: opts.defaultPageSize ?? 20,
    nextFault: (method, seq) => {
      const i = queue.findIndex(
        (q) => !q.methods || q.methods.includes(method)
      );
      if (i >= 0) return queue.splice(i, 1)[0]?.fault;
      return opts.fault?.(method, seq);
    },
  });
  const server = new grpc.Server();
  server.addService(loadService(), handlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      '127.0.0.1:0',
      grpc.ServerCredentials.createInsecure(),
      (err, p) => (err ? reject(err) : resolve(p))
    )
  );
  return {
    port,
    endpoint: `127.0.0.1:${port}`,
    occurrences: () => [...state.occurrences.values()].map(toStoredOccurrence),
    notes: () => [...state.notes.values()].map(toStoredNote),
    counters,
    inject: (fault, times = 1, methods) => {
      for (let n = 0; n < times; n++)
        queue.push({ fault, ...(methods ? { methods } : {}) });
    },
    clearFaults: () => void queue.splice(0),
    close: () =>
      new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
