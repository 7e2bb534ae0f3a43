/**
 * The target's apply lock records (`LockStore`, provider.ts) as API products in the target's
 * portal, one per acquisition. Who holds the lock is decided by src/apply/target-lock.ts; this
 * file only writes, lists, rewrites and removes records. Vendor facts are from
 * shared/reference/api7-admin-api.md (§ keys below; [OAS] is its Round 2 OpenAPI 0.11.0):
 *
 * - An EXTERNAL product, not a gateway one: a gateway product must link at least one service
 *   ([OAS] `linked_gateway_services` `minItems: 1`; §3 constraints, CN: "every gateway product
 *   needs at least one linked service"), and a service backs one product only (§3, CN), so a
 *   gateway lock could only borrow, and block, a real product's service.
 * - `status: draft`: drafts are hidden from developers (§2, WEB); `visibility: logged_in`, the
 *   less visible of the two values (§3, C), in case someone publishes one by hand.
 * - The ticket travels in `raw_openapi`, required and writable on external products and returned
 *   by the list ([OAS]). `desc` is read-side only on external products there, and whether they
 *   keep `labels` is unconfirmed (Round 2), so neither carries anything the lock depends on.
 * - Found by name prefix in the full product list (ownership.ts `isLockRecord`). The list takes no
 *   `labels[k]=v` selector for products in [OAS] (services do, §1, C); one honoured by a server
 *   that dropped the record's labels would hide the record, and two runs would both hold the lock.
 * - Names need not be unique (§2 `name`, ?; §8): the protocol never relies on it. A name is at
 *   most 100 characters ([OAS] `maxLength: 100`), which bounds the nonce.
 */
import type { LockTicket, StoredLock } from '../../model/lock.ts';
import type { LockStore } from '../provider.ts';
import { ProviderError } from '../transport/provider-error.ts';
import type { Api7Client } from './client.ts';
import { LOCK_LABEL, LOCK_LABEL_VALUE, LOCK_NAME_PREFIX, type Api7Product, type Api7ProductBody } from './wire.ts';

const NOTICE = 'apiproducts apply lock — do not edit or publish; remove a stuck one with `apiproducts unlock <target> --force`';
/** An OpenAPI specification extension (`x-` keys are allowed at the root of any OpenAPI 3 document). */
const TICKET_KEY = 'x-apiproducts-lock';
/** Required on external products ([OAS]); `.invalid` never resolves (RFC 2606), so no one calls it. */
const NOWHERE = 'https://apiproducts-lock.invalid';
const MAX_NAME_LENGTH = 100;

const HEX = /^[0-9a-f]+$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isInstant = (value: unknown): value is string => isString(value) && INSTANT.test(value) && !Number.isNaN(Date.parse(value));

/**
 * The ticket in `value` when every field has its type (hex nonce, ISO 8601 instants), rebuilt
 * from those fields alone: whatever else a hand edit left in the record is not carried on.
 */
function asTicket(value: unknown): LockTicket | undefined {
  if (!isObject(value) || !isObject(value.holder)) return undefined;
  const { nonce, acquiredAt, expiresAt } = value;
  const { host, user, pid, command, ciRunUrl } = value.holder;
  if (!isString(nonce) || !HEX.test(nonce) || !isInstant(acquiredAt) || !isInstant(expiresAt)) return undefined;
  if (!isString(host) || !isString(user) || !isString(command) || typeof pid !== 'number' || !Number.isSafeInteger(pid)) return undefined;
  if (ciRunUrl !== undefined && !isString(ciRunUrl)) return undefined;
  const holder = { host, user, pid, command, ...(ciRunUrl === undefined ? {} : { ciRunUrl }) };
  return { nonce, holder, acquiredAt, expiresAt };
}

/** The whole record: the create body, and the PUT body of a renewal (a PUT replaces it all, Round 2). */
function recordBody(ticket: LockTicket): Api7ProductBody {
  const name = LOCK_NAME_PREFIX + ticket.nonce;
  // A malformed ticket would be read back as unreadable and hold the lock until forced.
  if (asTicket(ticket) === undefined || name.length > MAX_NAME_LENGTH) {
    throw new Error(`not a lock ticket apiproducts can store on API7 (nonce ${JSON.stringify(ticket.nonce)})`);
  }
  const document = { openapi: '3.0.3', info: { title: 'apiproducts apply lock', version: '1', description: NOTICE }, paths: {}, [TICKET_KEY]: ticket };
  return {
    name,
    desc: NOTICE,
    type: 'external',
    status: 'draft',
    visibility: 'logged_in',
    // For whoever looks in the dashboard; no reader depends on it (see above).
    labels: { [LOCK_LABEL]: LOCK_LABEL_VALUE },
    raw_openapi: JSON.stringify(document),
    server_urls: [NOWHERE],
  };
}

/** The record's ticket, or undefined when it cannot be read or names another record's nonce. */
function readTicket(product: Api7Product): LockTicket | undefined {
  if (!isString(product.raw_openapi)) return undefined;
  let document: unknown;
  try {
    document = JSON.parse(product.raw_openapi);
  } catch {
    return undefined;
  }
  const ticket = isObject(document) ? asTicket(document[TICKET_KEY]) : undefined;
  return ticket && product.name === LOCK_NAME_PREFIX + ticket.nonce ? ticket : undefined;
}

function stored(product: Api7Product): StoredLock {
  const ticket = readTicket(product);
  return { ref: { id: product.id }, ...(ticket ? { ticket } : {}) };
}

function idOf(lock: StoredLock): string {
  const id = lock.ref.id;
  if (!id) throw new ProviderError('the lock record has no API7 id (ref.id) to rewrite or remove it by');
  return id;
}

const isNotFound = (error: unknown): boolean => error instanceof ProviderError && error.status === 404;

export function createApi7LockStore(client: Api7Client): LockStore {
  /** The id of the record named for this nonce, if the portal has one. */
  const lookUp = async (name: string): Promise<string | undefined> => (await client.listLockRecords()).find((product) => product.name === name)?.id;

  return {
    async create(ticket) {
      const body = recordBody(ticket);
      let confirmed: string | undefined;
      // POST /api/api_products?portal_id= → 200 {value: {id, …}} (reference §2, C).
      // After a lost answer the retry layer asks this first, so a create that landed is not sent twice.
      const created = await client.createProduct(body, async () => {
        confirmed = await lookUp(body.name);
        return confirmed !== undefined;
      });
      const id = created?.id ?? confirmed ?? (await lookUp(body.name));
      if (id === undefined) {
        throw new ProviderError(`the portal accepted lock record ${body.name} but neither answered it nor lists it`);
      }
      return { ref: { id }, ticket };
    },

    // GET /api/api_products?portal_id= → {list, total}, every page (§1, §2, C).
    list: async () => (await client.listLockRecords()).map(stored),

    async renew(lock, ticket) {
      // PUT /api/api_products/{id}?portal_id= replaces the whole product (Round 2, [OAS]): the
      // record is entirely ours, so writing it whole loses nothing. A 404 for a gone id is (I).
      try {
        await client.replaceProduct(idOf(lock), recordBody(ticket));
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    },

    async remove(lock) {
      // DELETE /api/api_products/{id}?portal_id= → 200 (§2, C); 404: already gone.
      try {
        await client.deleteProduct(idOf(lock));
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
  };
}
