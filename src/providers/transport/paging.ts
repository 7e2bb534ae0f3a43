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

export interface PagingOptions<T = unknown> {
  pageSize: number;
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

/**
 * Every item of a `{list,total}` endpoint in O(pages) requests: page 1 tells the total and the
 * page size the server really uses (it may cap `page_size` silently), then the remaining pages
 * are fetched concurrently, bounded. A short or empty page means the end, whatever `total` said.
 * Bounded whatever the server says: a total above `maxItems`, more pages than `maxPages`, or a
 * full page with nothing new (the server ignores `page`) is an error, never an endless loop.
 */
export async function fetchAllPages<T>(
  fetchPage: (page: number, pageSize: number) => Promise<Page<T>>,
  { pageSize, concurrency = 4, maxItems = MAX_LIST_ITEMS, maxPages = MAX_LIST_PAGES, identify, what = 'the list' }: PagingOptions<T>,
): Promise<T[]> {
  const first = await fetchPage(1, pageSize);
  const served = first.list.length;
  if (served === 0 || served >= first.total) return first.list;
  if (first.total > maxItems) {
    throw new ProviderError(`${what} claims ${first.total} items, more than apiproducts reads from one list (${maxItems}); refusing to page through it`);
  }
  const lastPage = Math.ceil(first.total / served);
  if (lastPage > maxPages) {
    throw new ProviderError(`${what} would take ${lastPage} pages of ${served} items, more than apiproducts reads (${maxPages}); refusing to page through it`);
  }
  const seen = new Set(identify ? first.list.map(identify) : []);
  const pages: T[][] = [first.list];
  let endPage = lastPage;
  let nextPage = 2;
  const worker = async (): Promise<void> => {
    while (nextPage <= endPage) {
      const page = nextPage++;
      const { list } = await fetchPage(page, pageSize);
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
  return pages.slice(0, endPage).flatMap((list) => list ?? []);
}
