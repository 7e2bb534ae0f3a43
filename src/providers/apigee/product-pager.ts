/**
 * Apigee's product list, whole. Pages are `count` ≤ 1000 products from an inclusive `startKey`
 * (reference §3), so each page can be asked for only once the one before it has arrived: 10,000
 * products are 11 round trips one after another, 100–300 ms each against the real management API.
 *
 * Once the caller knows which names it expects (Provider.expect: the plan's desired keys), pages
 * are also asked for in parallel, at start keys picked from those names about 0.9 × 999 listed
 * products apart. The list's order is not documented (reference §3: clients must not rely on it),
 * so a guessed page only ever saves a round trip; it never decides what the list holds:
 * - the chain of pages from the start takes a guessed page only when that page's first product is
 *   in the chain's latest page (past its first) and the two agree product for product where they
 *   overlap: the guessed page is then what following the chain would have brought, and more;
 * - guesses are made and taken only while every page received is in strictly ascending name order
 *   (a start key is then a seek in a sorted index, as the emulator pages); against a server whose
 *   order differs, the first page shows it, and the list is paged one page after another;
 * - a guess that fails (Edge answers 404 to a start key that is not a product, reference §3), is
 *   longer than a page, or does not ascend from its key is dropped, and the chain fills the gap.
 * The result is the chain's order, each name once, whichever guesses came back first.
 */
import { ProviderError } from '../transport/provider-error.ts';
import type { ApigeeProduct } from './wire.ts';

/** Guessed pages outstanding at once: each holds up to a page (about 1 MB) until taken or dropped. */
export const GUESSES_IN_FLIGHT = 6;
/** Guesses are this share of a page apart, so that each key falls inside the page before it even where names spread unevenly. */
const GUESS_SPACING = 0.9;

/** One page of the list from `startKey` (none: the first), checked to be a list of named products. */
export type FetchProductPage = (startKey: string | undefined) => Promise<ApigeeProduct[]>;

export interface ProductPagerOptions {
  pageSize: number;
  maxPages: number;
  /** The request, for errors: `GET /v1/organizations/{org}/apiproducts`. */
  what: string;
  /** Given each page's products not listed before, in list order, as the chain reaches them. */
  onPage?: (products: readonly ApigeeProduct[]) => void;
}

export interface ProductPager {
  /** Every product of the list, in the server's order, each name once. */
  readonly products: Promise<ApigeeProduct[]>;
  /** Names the caller expects the list to hold, where guesses are picked; ignored once the list is done. */
  expect(names: Iterable<string>): void;
}

interface Guess {
  key: string;
  /** The page once answered and usable; null once failed or unusable. */
  page?: readonly ApigeeProduct[] | null;
  answered: Promise<void>;
}

interface ChainPage {
  page: readonly ApigeeProduct[];
  startKey: string | undefined;
}

export function pageProducts(fetchPage: FetchProductPage, options: ProductPagerOptions): ProductPager {
  const { pageSize, maxPages, what, onPage } = options;
  const byName = new Map<string, ApigeeProduct>();
  let expected: string[] | undefined;
  /** Start keys planned and not asked for yet, in order; `nextKey` is the first of them. */
  let keys: string[] = [];
  let nextKey = 0;
  let planned = false;
  let ascending = true;
  let finished = false;
  /** The chain's last product so far: where its next page starts. */
  let lastName: string | undefined;
  let guesses: Guess[] = [];

  const ask = (key: string): void => {
    const guess: Guess = { key, answered: Promise.resolve() };
    guess.answered = fetchPage(key).then(
      (page) => void (guess.page = ascendsFrom(page, key) && page.length <= pageSize ? page : null),
      // A start key that is not a product (Edge's 404), or any other failure: the chain pages on without it.
      () => void (guess.page = null),
    );
    guesses.push(guess);
  };
  const askMore = (): void => {
    while (!finished && ascending && nextKey < keys.length && guesses.length < GUESSES_IN_FLIGHT) {
      const key = keys[nextKey++]!;
      // A key the chain has passed could only repeat what it holds.
      if (lastName === undefined || key > lastName) ask(key);
    }
  };

  /** Once per list, when both the expected names and a first page are known, and only for names past the chain. */
  const planGuesses = (): void => {
    if (planned || finished || !ascending || !expected || lastName === undefined) return;
    // Expected names per listed product so far (new products among them too): how many expected
    // names a page spans. None yet: nothing tells how far apart the guesses should be.
    const from = firstAfter(expected, lastName);
    if (from === 0) return;
    planned = true;
    const step = Math.max(1, Math.floor(GUESS_SPACING * (pageSize - 1) * (from / byName.size)));
    keys = [];
    for (let i = from + step - 1; i < expected.length && keys.length < maxPages; i += step) keys.push(expected[i]!);
    askMore();
  };

  /**
   * The guessed page that continues `chain` furthest, or undefined; drops the guesses that can no
   * longer continue this chain or a later page of it.
   */
  const takeGuess = (chain: readonly ApigeeProduct[]): ChainPage | undefined => {
    const first = chain[0]!.name;
    const last = chain[chain.length - 1]!.name;
    let position: Map<string, number> | undefined;
    let best: { guess: Guess; at: number } | undefined;
    const kept: Guess[] = [];
    for (const guess of guesses) {
      if (guess.page === null || guess.key <= first) continue;
      const page = guess.page;
      if (page === undefined) {
        kept.push(guess);
        continue;
      }
      const head = page[0]?.name;
      // Past this page: it may continue a later one.
      if (head !== undefined && head > last) {
        kept.push(guess);
        continue;
      }
      position ??= new Map(chain.map((product, index) => [product.name, index]));
      const at = head === undefined ? undefined : position.get(head);
      if (at !== undefined && at > 0 && overlaps(chain, page, at) && (!best || at > best.at)) {
        if (best) kept.push(best.guess);
        best = { guess, at };
      }
    }
    guesses = kept;
    askMore();
    return best && { page: best.guess.page!, startKey: best.guess.key };
  };

  /** The page after the full page `chain`: a guessed one that continues it, else the next by its last name. */
  const nextPage = async (chain: readonly ApigeeProduct[]): Promise<ChainPage> => {
    const first = chain[0]!.name;
    const last = chain[chain.length - 1]!.name;
    for (;;) {
      const taken = ascending ? takeGuess(chain) : undefined;
      if (taken) return taken;
      // Guesses whose keys fall in this page, still on their way: they continue it if anything does.
      const coming = ascending ? guesses.filter((guess) => guess.page === undefined && first < guess.key && guess.key <= last) : [];
      if (coming.length === 0) break;
      await Promise.race(coming.map((guess) => guess.answered));
    }
    const page = await fetchPage(last);
    if (page.length > 0 && page[0]!.name < last) ascending = false;
    return { page, startKey: last };
  };

  const list = async (): Promise<ApigeeProduct[]> => {
    let { page, startKey }: ChainPage = { page: await fetchPage(undefined), startKey: undefined };
    for (let pages = 1; ; pages++) {
      // More than a page: the server ignores count, as Private Cloud orgs without CPS do, and
      // answers the whole list unpaged (reference "Round 2", apigee-client-php listEntitiesWithoutCps).
      if (page.length > pageSize) {
        if (pages > 1) throw new ProviderError(`${what} answered ${page.length} products to count=${pageSize} after paging ${pages - 1} page(s); refusing a list that is neither paged nor whole`);
        for (const item of page) if (!byName.has(item.name)) byName.set(item.name, item);
        onPage?.([...byName.values()]);
        break;
      }
      if (!ascendsFrom(page, undefined)) ascending = false;
      // startKey is inclusive: a follow-up page repeats the last product of the one before.
      const fresh = page.filter((item) => !byName.has(item.name));
      for (const item of fresh) byName.set(item.name, item);
      if (page.length > 0) lastName = page[page.length - 1]!.name;
      onPage?.(fresh);
      // Fewer than a page is the last page of a pager and the whole list of a server that does
      // not page. Exactly a page from a server that ignores startKey is ambiguous (the whole list,
      // or the first page of a broken pager): refused below as a paging loop, never guessed.
      if (page.length < pageSize) break;
      // A full page with nothing new: the server ignores startKey and would serve it forever.
      if (fresh.length === 0) {
        // Also what an Edge for Private Cloud org without CPS does with exactly pageSize products
        // (it ignores count and startKey, opdk.ts): the whole list and a pager stuck on its first page look alike.
        throw new ProviderError(`${what} served the same products again after startKey=${startKey ?? ''} (a paging loop); refusing to loop (a Private Cloud org without paging that holds exactly ${pageSize} products looks the same: add or remove one)`);
      }
      if (pages >= maxPages) throw new ProviderError(`${what} is still not done after ${pages} pages of ${pageSize}; refusing to page further`);
      planGuesses();
      ({ page, startKey } = await nextPage(page));
    }
    return [...byName.values()];
  };

  const products = list().finally(() => {
    finished = true;
    guesses = [];
  });
  return {
    products,
    expect(names) {
      if (finished || expected) return;
      // Code-unit order, the order the pages are checked against.
      expected = [...new Set(names)].sort();
      planGuesses();
    },
  };
}

/** Strictly ascending names, the first at or after `key` (a start key is inclusive, or a lower bound). */
function ascendsFrom(page: readonly ApigeeProduct[], key: string | undefined): boolean {
  if (key !== undefined && page.length > 0 && page[0]!.name < key) return false;
  for (let i = 1; i < page.length; i++) if (!(page[i - 1]!.name < page[i]!.name)) return false;
  return true;
}

/** Whether `page` starts as `chain` does from `at` to its end, product for product. */
function overlaps(chain: readonly ApigeeProduct[], page: readonly ApigeeProduct[], at: number): boolean {
  if (page.length < chain.length - at) return false;
  for (let i = at; i < chain.length; i++) if (page[i - at]!.name !== chain[i]!.name) return false;
  return true;
}

/** Index of the first name after `key` in `sorted`. */
function firstAfter(sorted: readonly string[], key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! <= key) low = middle + 1;
    else high = middle;
  }
  return low;
}
