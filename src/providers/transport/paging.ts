/**
 * Reading `{list, total}` endpoints in O(pages) requests, bounded whatever the server says. Shared
 * by every provider whose API pages that way; Apigee's `startKey` paging lives in its client.
 */
import { ProviderError } from './provider-error.ts';

export interface Page<T> {
  list: T[];
  total: number;
}

/** Checks a `{list, total}` envelope, so that a wrong answer is an error rather than an empty list. */
export function expectPage<T>(body: unknown, what: string): Page<T> {
  const page = body as Partial<Page<T>> | null | undefined;
  if (typeof page !== 'object' || page === null || Array.isArray(page) || !Array.isArray(page.list)) {
    throw new ProviderError(`the answer to ${what} is not a list: expected {list, total}, got ${shapeOf(body)}`);
  }
  if (typeof page.total !== 'number' || !Number.isSafeInteger(page.total) || page.total < 0) {
    throw new ProviderError(`the answer to ${what} has no valid total: expected {list, total}, got ${shapeOf(body)}`);
  }
  return page as Page<T>;
}

/** A few words on what a JSON value is, never its content (which may be anything). */
export function shapeOf(value: unknown): string {
  if (value === undefined) return 'an empty body';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value).slice(0, 5).map((key) => JSON.stringify(key.slice(0, 30)));
    return keys.length ? `an object with ${keys.join(', ')}` : 'an empty object';
  }
  return `a ${typeof value}`;
}

/**
 * The page sizes a client tries, largest first, for servers whose maximum is undocumented: a 400
 * to the first page of a list retries it with the next smaller size. One instance per connected
 * target, so the size a server accepted after a refusal is kept for the rest of the run and later
 * lists do not pay the refusals again. A 400 that no size cures changes nothing.
 */
export class PageSizes {
  #current: number;
  constructor(readonly ladder: readonly number[]) {
    if (ladder.length === 0) throw new Error('PageSizes needs at least one size');
    this.#current = ladder[0]!;
  }
  /** The size to ask for first. */
  get current(): number {
    return this.#current;
  }
  /** The next size to try after `size` was refused, if any. */
  smallerThan(size: number): number | undefined {
    return this.ladder.find((candidate) => candidate < size);
  }
  /** `size` was accepted after a refusal: ask for it from now on (the smallest wins). */
  accept(size: number): void {
    this.#current = Math.min(this.#current, size);
  }
}

const refusedAsBadRequest = (error: unknown): boolean => error instanceof ProviderError && error.status === 400;

/**
 * The first page of a list and the size it was read with, stepping down `sizes` on a 400. The
 * server's message is not matched: no wording is documented, and a 400 no size cures costs only
 * the few smaller tries before its first error is thrown as is.
 */
export async function readFirstPage<P>(sizes: PageSizes, fetch: (pageSize: number) => Promise<P>): Promise<{ page: P; pageSize: number }> {
  let pageSize = sizes.current;
  let refusal: unknown;
  for (;;) {
    try {
      const page = await fetch(pageSize);
      if (refusal !== undefined) sizes.accept(pageSize);
      return { page, pageSize };
    } catch (error) {
      if (!refusedAsBadRequest(error)) throw error;
      refusal ??= error;
      const smaller = sizes.smallerThan(pageSize);
      if (smaller === undefined) throw refusal;
      pageSize = smaller;
    }
  }
}

export interface PagingOptions<T = unknown> {
  /** A fixed size, or sizes to step down on a 400 to the first page (`PageSizes`). */
  pageSize: number | PageSizes;
  /** Pages in flight after the first one. */
  concurrency?: number;
  /** The most items a list may hold; a server claiming more is refused (default 200,000). */
  maxItems?: number;
  /** The most pages read for one list (default 2,000). */
  maxPages?: number;
  /** An item's identity, to notice a server serving the same page again (a paging loop). */
  identify?: (item: T) => string;
  /** `GET /path`, for error messages. */
  what?: string;
}

export const MAX_LIST_ITEMS = 200_000;
export const MAX_LIST_PAGES = 2_000;
/** Reads of a list that changed while it was paged, before giving up on it. */
export const MAX_LIST_READS = 3;

/**
 * Every item of a `{list,total}` endpoint in O(pages) requests: page 1 tells the total and the
 * page size the server really uses (it may cap `page_size` silently, or refuse it: `PageSizes`),
 * then the remaining pages are fetched concurrently, bounded. A short or empty page means the end.
 * Bounded whatever the server says: a total above `maxItems`, more pages than `maxPages`, or a
 * full page with nothing new (the server ignores `page`) is an error, never an endless loop.
 *
 * Offset paging is not a snapshot: an item deleted from a page already read while later pages
 * are read moves every later item one place forward, and the first item of the next page is
 * never read (a product missing from a plan is planned as a create: a duplicate). So a page
 * whose `total` is not the first page's, or an empty first page that claims items, means the
 * list changed while it was read: it is read again from the start, up to MAX_LIST_READS times,
 * and then refused rather than returned incomplete.
 */
export async function fetchAllPages<T>(
  fetchPage: (page: number, pageSize: number) => Promise<Page<T>>,
  options: PagingOptions<T>,
): Promise<T[]> {
  const what = options.what ?? 'the list';
  const ladder = typeof options.pageSize === 'number' ? new PageSizes([options.pageSize]) : options.pageSize;
  const totals: number[] = [];
  for (let read = 1; read <= MAX_LIST_READS; read++) {
    const listed = await readAllPagesOnce(fetchPage, ladder, options, what);
    if (listed.items) return listed.items;
    totals.push(...listed.totals);
  }
  throw new ProviderError(
    `${what} changed while it was read, ${MAX_LIST_READS} times in a row (its total went ${[...new Set(totals)].join(' → ')}): refusing to plan from an incomplete list; run again once the portal is quiet`,
  );
}

/** One read of every page: the items, or the totals seen when the list changed meanwhile. */
async function readAllPagesOnce<T>(
  fetchPage: (page: number, pageSize: number) => Promise<Page<T>>,
  ladder: PageSizes,
  { concurrency = 4, maxItems = MAX_LIST_ITEMS, maxPages = MAX_LIST_PAGES, identify }: PagingOptions<T>,
  what: string,
): Promise<{ items?: T[]; totals: number[] }> {
  const { page: first, pageSize } = await readFirstPage(ladder, (size) => fetchPage(1, size));
  const served = first.list.length;
  if (served === 0) return first.total === 0 ? { items: [], totals: [0] } : { totals: [first.total, 0] };
  if (served >= first.total) return { items: first.list, totals: [first.total] };
  if (first.total > maxItems) {
    throw new ProviderError(`${what} claims ${first.total} items, more than apiproducts reads from one list (${maxItems}); refusing to page through it`);
  }
  const lastPage = Math.ceil(first.total / served);
  if (lastPage > maxPages) {
    throw new ProviderError(`${what} would take ${lastPage} pages of ${served} items, more than apiproducts reads (${maxPages}); refusing to page through it`);
  }
  const seen = new Set(identify ? first.list.map(identify) : []);
  const pages: T[][] = [first.list];
  const totals = [first.total];
  let endPage = lastPage;
  let nextPage = 2;
  const worker = async (): Promise<void> => {
    while (nextPage <= endPage) {
      const page = nextPage++;
      const { list, total } = await fetchPage(page, pageSize);
      if (total !== first.total) totals.push(total);
      if (identify && list.length >= served) {
        const ids = list.map(identify);
        if (ids.every((id) => seen.has(id))) {
          throw new ProviderError(`${what} served page ${page} with nothing new (the server repeats its pages); refusing to loop`);
        }
        for (const id of ids) seen.add(id);
      }
      pages[page - 1] = list;
      if (list.length < served) endPage = Math.min(endPage, page);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, lastPage - 1) }, worker));
  if (totals.length > 1) return { totals };
  return { items: pages.slice(0, endPage).flatMap((list) => list ?? []), totals };
}
