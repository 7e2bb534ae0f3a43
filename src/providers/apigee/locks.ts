/**
 * The Apigee `LockStore` (provider.ts; protocol in apply/target-lock.ts): a target's apply lock is
 * made of API products in the org, one per acquisition, named `apiproducts.lock.<nonce>` (Google's
 * name pattern `^[a-zA-Z][a-zA-Z0-9._\-$ %]*$`, reference "Round 2"). Apigee has no object meant
 * for this, and a product is what the credentials apiproducts already needs can write.
 *
 * A lock record must grant nothing: a product with no proxies, no resources and no operations
 * grants every API in the org (reference "Round 2"), so it names one resource path no proxy
 * serves, needs manual approval (keys "pending", §2) and is `internal` (hidden from every portal,
 * §2.1). It carries no ownership marker (ownership.ts): it is never a product apiproducts manages,
 * and observe() leaves it out (isLockRecord).
 */
import type { LockHolder, LockTicket, StoredLock } from '../../model/lock.ts';
import type { LockStore } from '../provider.ts';
import { ProviderError } from '../transport/provider-error.ts';
import type { ApigeeClient } from './client.ts';
import { attributeMap } from './mapping.ts';
import { ACCESS_ATTRIBUTE, type ApigeeProduct, type ApigeeProductBody } from './wire.ts';

/** The marker every lock record carries; `v1` is the ticket format below. */
export const LOCK_ATTRIBUTE = 'apiproducts-lock';
const LOCK_VERSION = 'v1';
/** `JSON.stringify(ticket)`: the whole ticket, rewritten on renew. */
export const TICKET_ATTRIBUTE = 'apiproducts-lock-ticket';
export const LOCK_NAME_PREFIX = 'apiproducts.lock.';
/** The path a record's `apiResources` names: a literal (§7), so it matches only itself, and no proxy serves it. */
export const LOCK_RESOURCE = '/apiproducts-lock/grants-nothing';

const HEX = /^[0-9a-f]+$/i;

/** Whether a product is a lock record (any version): never managed, imported, pruned or counted. */
export function isLockRecord(product: ApigeeProduct): boolean {
  return (product.attributes ?? []).some((attribute) => attribute.name === LOCK_ATTRIBUTE);
}

function lockName(ticket: LockTicket): string {
  // The nonce becomes the product name: anything but hex could leave Apigee's charset or the path.
  if (!HEX.test(ticket.nonce)) throw new ProviderError(`a lock ticket's nonce must be hex, got ${JSON.stringify(ticket.nonce)}`);
  return LOCK_NAME_PREFIX + ticket.nonce;
}

function lockBody(name: string, ticket: LockTicket, targetName: string): ApigeeProductBody {
  return {
    name,
    // displayName is required on Edge create and update (reference §2).
    displayName: 'apiproducts apply lock (do not edit)',
    description: `An apiproducts apply holds this lock on target ${targetName} and removes it when done; remove a stuck one with \`apiproducts unlock ${targetName} --force\`.`,
    approvalType: 'manual',
    attributes: [
      { name: ACCESS_ATTRIBUTE, value: 'internal' },
      { name: LOCK_ATTRIBUTE, value: LOCK_VERSION },
      { name: TICKET_ATTRIBUTE, value: JSON.stringify(ticket) },
    ],
    apiResources: [LOCK_RESOURCE],
    environments: [],
    proxies: [],
    scopes: [],
  };
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isInstant = (value: unknown): value is string => isString(value) && !Number.isNaN(Date.parse(value));

function parseHolder(value: unknown): LockHolder | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { host, user, pid, command, ciRunUrl } = value as Record<string, unknown>;
  if (!isString(host) || !isString(user) || !isString(command) || !Number.isSafeInteger(pid)) return undefined;
  if (ciRunUrl !== undefined && !isString(ciRunUrl)) return undefined;
  return { host, user, pid: pid as number, command, ...(ciRunUrl === undefined ? {} : { ciRunUrl }) };
}

/**
 * The ticket a record carries, or undefined when it cannot be trusted: edited by hand, cut short,
 * or naming another record's nonce (then it holds the lock until `unlock --force`, model/lock.ts).
 */
export function ticketOf(product: ApigeeProduct): LockTicket | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(attributeMap(product)[TICKET_ATTRIBUTE] ?? '');
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { nonce, holder, acquiredAt, expiresAt } = parsed as Record<string, unknown>;
  if (!isString(nonce) || !HEX.test(nonce) || product.name !== LOCK_NAME_PREFIX + nonce) return undefined;
  const parsedHolder = parseHolder(holder);
  if (!parsedHolder || !isInstant(acquiredAt) || !isInstant(expiresAt)) return undefined;
  return { nonce, holder: parsedHolder, acquiredAt, expiresAt };
}

const isCurrentLock = (product: ApigeeProduct): boolean => attributeMap(product)[LOCK_ATTRIBUTE] === LOCK_VERSION;

export function createApigeeLockStore(client: ApigeeClient, targetName: string): LockStore {
  const refName = (lock: StoredLock): string => {
    const name = lock.ref.name;
    if (!name) throw new ProviderError(`a lock record of target ${targetName} without a name cannot be renewed or removed`);
    return name;
  };

  return {
    async create(ticket) {
      const name = lockName(ticket);
      // After a lost answer, or a 409 on the resend: the name holds this run's nonce, so a record
      // under it is the lost try's (one record, never two), unless it is not a lock at all.
      const confirm = async (): Promise<boolean> => {
        const found = await client.getProduct(name);
        if (!found) return false;
        if (ticketOf(found)?.nonce === ticket.nonce) return true;
        throw new ProviderError(`a product named ${name} is on target ${targetName} but is not this run's lock record; remove it with \`apiproducts unlock ${targetName} --force\``);
      };
      await client.createProduct(lockBody(name, ticket, targetName), confirm);
      return { ref: { name }, ticket };
    },

    async list() {
      // The server filter saves reading the whole org; checked again here, so a server that
      // ignores `attributename` (the reference does not say every one honours it) is still right.
      const products = await client.listProducts({ name: LOCK_ATTRIBUTE, value: LOCK_VERSION }).products;
      return products.filter(isCurrentLock).map((product): StoredLock => {
        const ticket = ticketOf(product);
        return { ref: { name: product.name }, ...(ticket ? { ticket } : {}) };
      });
    },

    async renew(lock, ticket) {
      const name = refName(lock);
      const value = JSON.stringify(ticket);
      // One attribute, not a full PUT (update replaces the whole product, reference "Round 2"):
      // nothing else is sent, so nothing else of the record can be changed by a renew.
      const confirm = async (): Promise<boolean> => {
        const found = await client.getProduct(name);
        return found !== undefined && attributeMap(found)[TICKET_ATTRIBUTE] === value;
      };
      try {
        await client.updateAttribute(name, { name: TICKET_ATTRIBUTE, value }, confirm);
        return true;
      } catch (error) {
        if (error instanceof ProviderError && error.status === 404) return false;
        throw error;
      }
    },

    async remove(lock) {
      try {
        await client.deleteProduct(refName(lock));
      } catch (error) {
        // Already gone (removed as expired by another run, or by hand): what remove wants.
        if (!(error instanceof ProviderError && error.status === 404)) throw error;
      }
    },
  };
}
