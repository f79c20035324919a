// Wall-time phases of the in-process sink's events. Its run source, signer and store are wrapped (the
// handler's code is unchanged), so each event records when the fetch, the signature and the writes began
// and ended, in ms from the handler's start; the rest of the latency is the framework and the HTTP exchange.
import type { HttpFunction } from '@google-cloud/functions-framework';
import type { AttestRunDeps } from '../functions/attest-run.js';
import { now, summarise, type Summary } from './stats.js';

export interface Phases {
  fetch: Summary;
  // From the fetched run to the signature request: checks, statement build, PAE.
  build: Summary;
  sign: Summary;
  writes: Summary;
  // Handler start → fetch, and last write → reply sent, together.
  handlerRest: Summary;
  // Request sent → handler start, and reply sent → reply received, together (framework, body parser, HTTP).
  outside: Summary;
}

type Mark = [string, number];

export class Timeline {
  private start = 0;
  private marks: Mark[] = [];
  private readonly events: { total: number; marks: Mark[] }[] = [];

  private mark(what: string): void {
    this.marks.push([what, now() - this.start]);
  }

  // deps with source.fetch, signer.sign and the store's writes timed.
  instrument(deps: AttestRunDeps): AttestRunDeps {
    const wrap = <T extends object>(
      made: () => Promise<T>,
      names: string[]
    ) => {
      let wrapped: Promise<T> | undefined;
      return () => (wrapped ??= made().then((o) => this.timed(o, names)));
    };
    return {
      ...deps,
      source: wrap(deps.source, ['fetch']),
      signer: wrap(deps.signer, ['sign']),
      store: wrap(deps.store, ['put', 'putInOrder']),
    };
  }

  private timed<T extends object>(target: T, names: string[]): T {
    const methods = target as Record<string, unknown>;
    for (const name of names) {
      const f = methods[name];
      if (typeof f !== 'function') continue;
      const call = (f as (...a: unknown[]) => Promise<unknown>).bind(target);
      methods[name] = async (...args: unknown[]) => {
        this.mark(`${name}>`);
        try {
          return await call(...args);
        } finally {
          this.mark(`${name}<`);
        }
      };
    }
    return target;
  }

  handler(h: HttpFunction): HttpFunction {
    return (req, res) => {
      this.start = now();
      this.marks = [];
      res.on('finish', () => this.mark('reply'));
      return h(req, res);
    };
  }

  // Called by the harness with the event's end-to-end latency, once its reply has arrived.
  record(total: number): void {
    this.events.push({ total, marks: this.marks });
  }

  phases(): Phases {
    const first = (m: Mark[], k: string) =>
      m.find(([w]) => w === k)?.[1] ?? NaN;
    const last = (m: Mark[], ...ks: string[]) =>
      m.filter(([w]) => ks.includes(w)).at(-1)?.[1] ?? NaN;
    const of = (f: (m: Mark[], total: number) => number) =>
      summarise(this.events.map((e) => f(e.marks, e.total)));
    return {
      fetch: of((m) => first(m, 'fetch<') - first(m, 'fetch>')),
      build: of((m) => first(m, 'sign>') - first(m, 'fetch<')),
      sign: of((m) => last(m, 'sign<') - first(m, 'sign>')),
      writes: of((m) => last(m, 'put<', 'putInOrder<') - last(m, 'sign<')),
      handlerRest: of(
        (m) =>
          first(m, 'fetch>') + last(m, 'reply') - last(m, 'put<', 'putInOrder<')
      ),
      outside: of((m, total) => total - last(m, 'reply')),
    };
  }
}

// One line per phase: median (min–max) ms per event.
export function renderPhases(label: string, p: Phases, events: number): string {
  const rows: [string, Summary][] = [
    ['fetch (GET ‖ LIST, parse, normalise, child checks)', p.fetch],
    ['fetch → signature (checks, statement, PAE)', p.build],
    ['signature', p.sign],
    ['writes (envelope bytes, every key, the runs/… key last)', p.writes],
    ['rest of the handler (before the fetch, after the writes)', p.handlerRest],
    ['outside the handler (framework, body parser, HTTP)', p.outside],
  ];
  return [
    `Wall time per event, ${label}: medians over ${events} events of a timed sink, ms (min–max)`,
    ...rows.map(
      ([what, s]) =>
        `  ${s.median.toFixed(2).padStart(6)} (${s.min.toFixed(2)}–${s.max.toFixed(2)})  ${what}`
    ),
  ].join('\n');
}
