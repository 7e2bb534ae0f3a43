/**
 * API7 Enterprise: the offline ProviderKind (validation, desired objects, identity) and the
 * connected Provider (observe, preflight, apply) over the Admin API.
 */
import pLimit from 'p-limit';
import { appliedFingerprint } from '../../model/fingerprint.ts';
import { UserError, type Diagnostic } from '../../model/diagnostic.ts';
import type { Change } from '../../model/plan.ts';
import type { TargetConfig } from '../../model/target.ts';
import type { ConnectOptions } from '../transport/connect-options.ts';
import { tallyTries } from '../transport/retry.ts';
import { countConsumersPerObject } from '../transport/consumer-counts.ts';
import { type LockStore, type Provider, type ProviderKind } from '../provider.ts';
import type { Endpoint } from '../../model/target.ts';
import { ownershipDropped, ProviderError } from '../transport/provider-error.ts';
import type { LiveObject } from '../../model/objects.ts';
import { createApi7Client, portalName, type Api7Client } from './client.ts';
import { createDirectory, toDesiredObject, toLiveObject, type Api7Directory } from './mapping.ts';
import { toProductBody } from './request-body.ts';
import { importApi7Object } from './import-product.ts';
import { checkLinks } from './preflight.ts';
import { linkOrder } from './link-order.ts';
import { createApi7LockStore } from './locks.ts';
import { API7_SCHEMA } from './schema.ts';
import { openapiDisplayPath, readOpenapiText, validateApi7Binding } from './validate-binding.ts';
import { isOwned, lastAppliedOf } from './ownership.ts';
import { markerFor, type MarkerOptions } from '../../model/objects.ts';
import { AUTH_OPTION_FIELDS } from './auth-options.ts';
import { NAME_LABEL, OWNER_LABEL, type Api7Product, type Api7Service } from './wire.ts';

const KNOWN_SETTINGS = new Set(['provider', 'url', 'sandbox', 'insecure', 'ignore', 'portal', 'tokenEnv', 'timeout', 'caFile', 'maxAffected']);
const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Gateway groups whose services are listed at once. */
const GROUP_CONCURRENCY = 4;

function validateTarget(target: TargetConfig): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report = (severity: Diagnostic['severity'], rule: string, message: string, fix: string): void => {
    diagnostics.push({ severity, rule: `api7/${rule}`, message, fix, source: target.source, target: target.name });
  };
  const { portal, tokenEnv } = target.settings;
  if (portal !== undefined && (typeof portal !== 'string' || portal === '')) {
    report('error', 'portal', `target ${target.name}: portal must be the name of a developer portal`, 'write portal: default');
  }
  if (!target.sandbox) {
    if (!target.url) {
      report('error', 'url', `target ${target.name} has no url`, 'add url: https://<control plane host>:7443');
    }
    if (tokenEnv === undefined) {
      report('error', 'token-env', `target ${target.name} has no tokenEnv (the environment variable holding the API7 token)`,
        'add tokenEnv: API7_TOKEN and export the token in that variable');
    } else if (typeof tokenEnv !== 'string' || !ENV_VAR_NAME.test(tokenEnv)) {
      // Never echo the value: someone may have pasted the token itself here.
      report('error', 'token-env', `target ${target.name}: tokenEnv must be the NAME of an environment variable, not a token`,
        'write tokenEnv: API7_TOKEN and put the token in that variable');
    }
  }
  for (const key of Object.keys(target.settings)) {
    if (!KNOWN_SETTINGS.has(key)) {
      report('warning', 'unknown-setting', `target ${target.name}: "${key}" is not an API7 target setting (ignored)`,
        `use only ${[...KNOWN_SETTINGS].join(', ')}`);
    }
  }
  return diagnostics;
}

export const api7: ProviderKind = {
  kind: 'api7',
  name: 'API7',
  title: 'API7 Enterprise',
  schema: API7_SCHEMA,
  // API7 refuses auth changes on a published product (reference §3); the options are auth too.
  lockedWhilePublished: ['auth', ...AUTH_OPTION_FIELDS],
  unpublishConsequence: 'unpublishing cancels every subscription and removes the auth rules from the linked services',
  // A product grants its subscribers the linked services (reference §3): removing one narrows it.
  grantFields: [{ path: 'services' }],
  // A service belongs to one product (reference §3): the update freeing it runs first.
  sequenceChanges: (changes) => linkOrder(changes).after,
  // External products support no credential auth (reference §3, WEB key-concepts): the API they
  // document is not behind the gateway, so `auth:` cannot protect it.
  authProtects: (product) => product.binding['type'] !== 'external',
  validateTarget,
  validateBinding: (product) => validateApi7Binding(product),
  toDesired(product) {
    if (product.binding.type !== 'external') return [toDesiredObject(product)];
    const text = readOpenapiText(product);
    if (text === undefined) {
      throw new UserError(`${product.name}: OpenAPI file ${openapiDisplayPath(product) ?? '(none)'} cannot be read`);
    }
    return [toDesiredObject(product, text)];
  },
  importObjects: (live, target) => live.map((object) => importApi7Object(object, target)),
  identify: (target) => ({ url: target.sandbox ? `sandbox://${target.name}` : (target.url ?? ''), portal: portalName(target) }),
  connect: (target, endpoint, options) => createApi7Provider(target, endpoint, options),
};

/** What one observation listed: products and the lookups preflight and apply need. */
interface Snapshot {
  products: Api7Product[];
  /** The raw products as read, by id: the base of every update (read, merge, write). */
  byId: Map<string, Api7Product>;
  directory: Api7Directory;
}

async function listDirectory(client: Api7Client): Promise<Api7Directory> {
  const [groups, dcrProviders] = await Promise.all([client.listGatewayGroups(), client.listDcrProviders()]);
  const limit = pLimit(GROUP_CONCURRENCY);
  const lists = await Promise.all(groups.map((group) => limit(() => client.listServices(group.id))));
  const services = new Map<string, Api7Service[]>(groups.map((group, index) => [group.id, lists[index] ?? []]));
  return createDirectory(groups, services, dcrProviders);
}

/** One line naming the product, keeping status and retry hints for the executor. */
function aboutProduct(change: Change, error: unknown): unknown {
  if (!(error instanceof ProviderError)) return error;
  return new ProviderError(`${change.product}: ${error.message}`, error.status, error.retryable, error.retryAfterSeconds, error.haltsTarget);
}

/** `locks` joins the `Provider` contract once every vendor has a `LockStore`. */
export type Api7Provider = Provider & { readonly locks: LockStore };

export function createApi7Provider(target: TargetConfig, endpoint: Endpoint, options: ConnectOptions = {}): Api7Provider {
  const client = createApi7Client(target, endpoint, options);
  let snapshot: Snapshot | undefined;
  // Apply from a saved plan may run without observe(): list the lookups once, lazily.
  let directory: Promise<Api7Directory> | undefined;
  const currentDirectory = (): Promise<Api7Directory> => {
    if (snapshot) return Promise.resolve(snapshot.directory);
    directory ??= listDirectory(client).catch((error: unknown) => {
      directory = undefined;
      throw error;
    });
    return directory;
  };
  const observeSnapshot = async (): Promise<Snapshot> => {
    const [products, listed] = await Promise.all([client.listProducts(), listDirectory(client)]);
    snapshot = { products, byId: new Map(products.map((product) => [product.id, product])), directory: listed };
    return snapshot;
  };

  /**
   * The product as last read, every field the server sent. Apply from a saved plan re-observes in
   * its stale check, so the snapshot is there; without one, the list is read once.
   */
  const liveProduct = async (id: string): Promise<Api7Product> => {
    const found = (snapshot ?? (await observeSnapshot())).byId.get(id);
    if (!found) throw new ProviderError(`product ${id} is no longer on the target; run plan again`);
    return found;
  };

  /**
   * Whether an earlier try of this create did create the product. Our own product with the
   * fingerprint this change writes: yes. Anything else under the key: an error, never a duplicate.
   */
  const alreadyCreated = async (change: Change): Promise<boolean> => {
    const mine = (await client.listProducts()).filter((product) => isOwned(product, target.owner) && product.labels?.[NAME_LABEL] === change.key);
    if (mine.length === 0) return false;
    const expected = appliedFingerprint(change.after!, change.after!.ignored);
    if (mine.some((product) => lastAppliedOf(product) === expected)) return true;
    throw new ProviderError(`a product for ${change.key} appeared on the target while this apply ran (not written by it); run plan again`);
  };

  /**
   * Read after write (reference: whether 3.9 keeps `labels` on external products is unconfirmed).
   * A product stored without our labels is, to the next run, an unmanaged product under our name:
   * a collision, or (names may repeat) a second create. `created` is the POST answer's `value`;
   * without one the list is read once. `confirmed`: the lost-answer lookup already found it ours.
   */
  const verifyOwnership = async (change: Change, created: Api7Product | undefined, confirmed: boolean): Promise<void> => {
    if (!created && confirmed) return;
    const ours = (product: Api7Product): boolean => isOwned(product, target.owner) && product.labels?.[NAME_LABEL] === change.key;
    const owned = created ? ours(created) : (await client.listProducts()).some(ours);
    if (!owned) throw ownershipDropped(`labels ${OWNER_LABEL} and ${NAME_LABEL}`, target.name);
  };

  /** Every write marks the product with the configuration's owner and what Git says of `protected`. */
  const markerOf = (change: Change): MarkerOptions => markerFor(target.owner, change.protected);

  const provider: Api7Provider = {
    traffic: client.traffic,
    locks: createApi7LockStore(client),

    async observe(): Promise<LiveObject[]> {
      const { products, directory: lookups } = await observeSnapshot();
      return products.map((product) => toLiveObject(product, lookups, target.owner));
    },

    async preflight(changes) {
      const ours = changes.filter((change) => change.target === target.name);
      if (ours.length === 0) return [];
      try {
        const { products, directory: lookups } = snapshot ?? (await observeSnapshot());
        return checkLinks(ours, products, lookups, target.name);
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        return [{ severity: 'error', rule: 'api7/preflight-failed', message: error.message, target: target.name }];
      }
    },

    countConsumers: (changes) =>
      countConsumersPerObject(changes, {
        consumers: 'subscriptions',
        // Unpublishing cancels every subscription (reference §5), and so does deleting the product.
        effectOf: (steps) => (steps.some((step) => step.action === 'unpublish' || step.action === 'delete') ? 'cancels' : 'narrows'),
        read: async (step) => {
          if (!step.ref?.id) throw new ProviderError('the change has no product id to count subscriptions of');
          return client.countSubscriptions(step.ref.id);
        },
      }),

    async apply(change) {
      const attempted = await tallyTries(async () => {
        if (change.action !== 'create' && !change.ref?.id) {
          throw new ProviderError(`cannot ${change.action} without the id of the live product (the change has no ref.id)`);
        }
        if (change.action === 'delete') {
          await client.deleteProduct(change.ref!.id!);
          return;
        }
        if (!change.after) throw new ProviderError(`cannot ${change.action}: the change does not say what the product becomes`);
        if (change.action !== 'create') {
          // Read, merge, write: the PUT body starts from the product as observed (mapping.ts).
          const live = await liveProduct(change.ref!.id!);
          const written = await client.replaceProduct(live.id, toProductBody(change.after, change.product, await currentDirectory(), live, markerOf(change)));
          // A later change to the same product (republish after an auth change) starts from this.
          if (written?.id === live.id) snapshot?.byId.set(live.id, written);
          return;
        }
        // A create with no auth in Git sends no `auth` key (the server refuses `auth: {}`).
        let confirmed = false;
        const created = await client.createProduct(toProductBody(change.after, change.product, await currentDirectory(), undefined, markerOf(change)), async () => {
          confirmed = await alreadyCreated(change);
          return confirmed;
        });
        await verifyOwnership(change, created, confirmed);
      });
      return attempted.error === undefined ? attempted : { ...attempted, error: aboutProduct(change, attempted.error) };
    },
  };
  return provider;
}
