/**
 * The vocabulary of the synthetic products every vendor's generator shares: names, teams, the
 * neutral fields of a product file, the share edited for "changes". Shared so that the projects of
 * two vendors at one N differ only where the vendors differ.
 */
export const TEAMS = ['payments', 'commerce', 'identity', 'logistics', 'catalog', 'search', 'billing', 'messaging', 'analytics', 'risk', 'partners', 'media'];
const NOUNS = ['ledger', 'refunds', 'orders', 'carts', 'shipments', 'tracking', 'inventory', 'pricing', 'reviews', 'accounts', 'profiles', 'tokens', 'invoices', 'statements', 'alerts', 'events', 'reports', 'quotes', 'claims', 'offers'];
const VERBS = ['create and track', 'search', 'reconcile', 'export', 'subscribe to', 'audit'];
const TIERS = ['gold', 'silver', 'bronze'];

/** 2026-01-01T00:00:00Z, unix seconds: planted portals carry fixed timestamps. */
export const SEEDED_AT = 1767225600;

export const pad = (i: number): string => String(i).padStart(5, '0');
export const teamOf = (i: number): string => TEAMS[i % TEAMS.length]!;
export const nounOf = (i: number): string => NOUNS[(i * 7) % NOUNS.length]!;
export const title = (word: string): string => word[0]!.toUpperCase() + word.slice(1);
export const productName = (i: number): string => `${teamOf(i)}-${nounOf(i)}-${pad(i)}`;
/** Products edited in Git for the "10% changes" scenario: every 10th. */
export const isChanged = (i: number, share: number): boolean => share > 0 && i % Math.max(1, Math.round(1 / share)) === 0;

function description(i: number, changed: boolean): string[] {
  const noun = nounOf(i);
  const lines = [
    'description: |',
    `  ${title(noun)} API of the ${teamOf(i)} domain (product ${i}).`,
    '',
    `  Lets partner applications ${VERBS[i % VERBS.length]} ${noun} in real time. Requests are idempotent`,
    '  when sent with an `Idempotency-Key` header; lists are paginated with `page` and `page_size`.',
  ];
  if (changed) lines.push('', '  Webhooks now notify subscribers of every change (revision 2).');
  return lines;
}

/** The top of a product file; `access` is the vendor's visibility and access lines, which its rules shape. */
export function commonFields(i: number, changed: boolean, access: readonly string[]): string[] {
  const lines = [
    '# yaml-language-server: $schema=../../schemas/product.schema.json',
    `name: ${productName(i)}`,
    `displayName: ${title(teamOf(i))} ${title(nounOf(i))} ${i}`,
    ...description(i, changed),
    `status: ${i % 7 === 0 ? 'draft' : 'published'}`,
    ...access,
  ];
  lines.push(`team: ${teamOf(i)}`, 'labels:', `  tier: ${TIERS[i % TIERS.length]}`, `  cost-center: cc-${100 + (i % 37)}`);
  if (changed && i % 3 === 0) lines.push('  reviewed: "2026-q3"');
  return lines;
}

/** Logged-in / private visibility for two products in five. */
export const loggedIn = (i: number): boolean => i % 5 >= 3;

/** Through JSON and back: what a request body is once it has crossed the wire. */
export const jsonCopy = <T>(value: T): Record<string, unknown> => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
