/**
 * Work written once as a generator that yields between its pieces (a product, a target), and run
 * either at once or giving the event loop a turn whenever `pause` says so: the same result either
 * way. Read while loading runs the rules across files this way, so that an answer that arrives
 * meanwhile (the next page of a sequential pager) is not kept waiting for all of them.
 */
export type Steps<T> = Generator<void, T, void>;

export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

export async function runStepsPausing<T>(steps: Steps<T>, pause: () => Promise<void> | undefined): Promise<T> {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    const waiting = pause();
    if (waiting) await waiting;
  }
}
