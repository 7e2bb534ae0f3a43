import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';

/**
 * Past this much heap in use after a full collection, V8's old generation may grow by at most 2×
 * what survived it. V8 grows it by up to 4× (its factor depends on the measured GC speed), and a
 * run ends before the next collection: a no-change plan of 100,000 products peaked anywhere from
 * 790 MB to 1.09 GB of RSS. The bound must be in place before the collection that leaves ~250 MB
 * (each limit is set at the end of a collection): at 128 MB it sometimes came one collection
 * late, and warm plans of 100,000 API7 products peaked at 1,006–1,077 MB again; at 64 MB they kept
 * to 806–932 MB with the wall and CPU of before. A factor of 1.5 kept them to 746–805 MB but made
 * them about 20 % slower (bench/profile-scale.ts, docs/performance.md). Below the bound the factor
 * stays V8's: capping it from the start made a plan of 10,000 products 3–5 % slower, for the more
 * frequent small collections, and 10,000 products leave at most 46–49 MB after a full collection.
 * 64 MB is reached by projects of about 13,000 products.
 */
export const BOUNDED_GROWTH_FROM_BYTES = 64 * 1024 * 1024;

/**
 * V8 reads `--heap-growing-percent` each time it sets the next limit, at the end of every full
 * collection (MemoryController::GrowingFactor, src/heap/heap-controller.cc), so setting it while
 * the process runs takes effect from the next collection on. The flag replaces every growth
 * mode's factor, the 1.1 of a heap near its limit too, which the heap limit still caps.
 */
export const BOUNDED_GROWTH_FLAG = '--heap-growing-percent=100';

/**
 * What to do after each full collection, given the heap then in use: set the flag once, the first
 * time the heap is past the bound. Returns whether it is set (then nothing more is to be watched).
 */
export function growthBound(setFlags: (flags: string) => void, fromBytes = BOUNDED_GROWTH_FROM_BYTES): (usedBytes: number) => boolean {
  let bounded = false;
  return (usedBytes) => {
    if (!bounded && usedBytes > fromBytes) {
      setFlags(BOUNDED_GROWTH_FLAG);
      bounded = true;
    }
    return bounded;
  };
}

/**
 * Watches the process's full collections (a performance observer of `gc` entries, which does not
 * keep the process alive) and bounds the heap's growth once it is large. For the CLI's
 * process only: it changes a V8 setting of the whole process.
 */
export function boundHeapGrowthOfLargeRuns(setFlags: (flags: string) => void = setFlagsFromString, fromBytes = BOUNDED_GROWTH_FROM_BYTES): void {
  const afterFullCollection = growthBound(setFlags, fromBytes);
  const observer = new PerformanceObserver((list) => {
    const full = list.getEntries().some((entry) => (entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
    if (full && afterFullCollection(getHeapStatistics().used_heap_size)) observer.disconnect();
  });
  observer.observe({ entryTypes: ['gc'] });
}
