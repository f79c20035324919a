// Runs generated requests through a served function in concurrent batches under one fast-check property.
import fc from 'fast-check';
import { SEED, type Reply, type Sent, type Served } from './harness.js';

// What the batches saw: requests per status, and those refused by the framework before our handler ran.
export interface FuzzTally {
  requests: number;
  statuses: Record<number, number>;
  framework: number;
}

export interface FuzzSpec {
  label: string;
  served: Served;
  arbitrary: fc.Arbitrary<Sent>;
  total: number;
  batch?: number;
  // Throws (naming what was wrong) for an unexpected reply; returns true for a framework-level refusal.
  check: (req: Sent, reply: Reply) => boolean | void;
  // Store invariants after each batch (throws on violation).
  afterBatch: () => Promise<void>;
}

// A short description of a request for failure messages (never the whole body).
export function describeRequest(req: Sent): string {
  const body = req.body.subarray(0, 200).toString('utf8');
  return `${req.method ?? 'POST'} ${req.path ?? '/'} ${JSON.stringify(req.headers)} body(${req.body.length}B)=${JSON.stringify(body)}`;
}

// fc.assert over batches of `batch` requests sent concurrently; the seed is fixed and printed on failure.
export async function fuzzFunction(spec: FuzzSpec): Promise<FuzzTally> {
  const batch = spec.batch ?? 25;
  const tally: FuzzTally = { requests: 0, statuses: {}, framework: 0 };
  let firstFailure: string | undefined;
  const property = fc.asyncProperty(
    fc.array(spec.arbitrary, { minLength: batch, maxLength: batch }),
    async (requests) => {
      const replies = await Promise.all(
        requests.map((r) =>
          spec.served.send(r).catch((err: unknown) => {
            firstFailure ??= `server unreachable (${String(err)}) for ${describeRequest(r)}`;
            throw err;
          })
        )
      );
      replies.forEach((reply, i) => {
        const req = requests[i]!;
        tally.requests++;
        tally.statuses[reply.status] = (tally.statuses[reply.status] ?? 0) + 1;
        try {
          if (spec.check(req, reply)) tally.framework++;
        } catch (err) {
          firstFailure ??= `${(err as Error).message}\n  request: ${describeRequest(req)}\n  reply: ${reply.status} ${reply.body.subarray(0, 300).toString()}`;
          throw err;
        }
      });
      await spec.afterBatch().catch((err: Error) => {
        firstFailure ??= `after the batch: ${err.message}`;
        throw err;
      });
    }
  );
  try {
    await fc.assert(property, {
      seed: SEED,
      numRuns: Math.ceil(spec.total / batch),
      endOnFailure: true,
    });
  } catch (err) {
    const message = (err as Error).message;
    const where = /\{ seed: .*?\}/.exec(message)?.[0] ?? `seed ${SEED}`;
    throw new Error(
      `fuzz ${spec.label} failed at ${where} (replay: FUZZ_SEED=${SEED}):\n${firstFailure ?? message.slice(0, 3000)}`
    );
  }
  return tally;
}

// One line for the test output: `fuzz: attestRun 10000 requests, 0 unexpected (200: …, 400: …)`.
export function summary(label: string, tally: FuzzTally): string {
  const statuses = Object.entries(tally.statuses)
    .map(([s, n]) => `${s}: ${n}`)
    .join(', ');
  return `fuzz: ${label} ${tally.requests} requests, 0 unexpected (${statuses}; ${tally.framework} refused by the functions-framework body parser)`;
}
