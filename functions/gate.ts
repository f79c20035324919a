// A counting semaphore bounding the attestations one instance builds, signs and stores at once (memory).

// At most `limit` holders at once; the others wait their turn in arrival order (never rejected).
export class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`expected a gate limit >= 1, got ${limit}`);
  }

  // Runs work once a slot is free; the slot passes straight to the next waiter when work settles.
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
