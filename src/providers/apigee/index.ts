/**
 * Apigee (Edge and X): the offline ProviderKind (validation, desired objects, identity) and the
 * connected Provider (observe, preflight, apply) over the management API.
 */
import { checkApigeeNameCollisions } from './name-collisions.ts';
import { appliedFingerprint } from '../../model/fingerprint.ts';
import type { Change } from '../../model/plan.ts';
import type { TargetConfig } from '../../model/target.ts';
import type { ConnectOptions } from '../transport/connect-options.ts';
import { tallyTries } from '../transport/retry.ts';
import { countConsumersPerObject } from '../transport/consumer-counts.ts';
import { type LockStore, type ObserveScope, type Provider, type ProviderKind } from '../provider.ts';
import type { Endpoint } from '../../model/target.ts';
import { ownershipDropped, ProviderError } from '../transport/provider-error.ts';
import type { LiveObject } from '../../model/objects.ts';
import { createApigeeClient, flavourOf, managementRoot, orgOf, type ApigeeClient } from './client.ts';
import { isOwned, operationSettingsOf, toDesiredObjects, toLiveObject, type ApigeeState } from './mapping.ts';
import { createLivePages, type LivePages } from './live-pages.ts';
import type { ProductPager } from './product-pager.ts';
import { mergeProductBody, toProductBody } from './request-body.ts';
import { hasOperationConfigs } from './operations.ts';
import { applyApiOperationGroups, boundByApiOperations } from './api-operations.ts';
import { OWNER_ATTRIBUTE, OWNER_VALUE, type ApigeeProduct } from './wire.ts';
import { isOwnedBy, lastAppliedOf } from './ownership.ts';
import { markerFor, type MarkerOptions } from '../../model/objects.ts';
import { checkReferences, needsDirectory, type ApigeeDirectory } from './preflight.ts';
import { importApigeeObjects } from './import-product.ts';
import { createApigeeLockStore, isLockRecord } from './locks.ts';
import { moveToSpace } from './spaces.ts';
import { emptyCatalog, readCatalog, removeCatalogItem, syncCatalogItem } from './catalog.ts';
import { claimsItem, portalRisk, portalSites, recordedSite, wantedSites } from './portal.ts';
import { APIGEE_GRANTS, narrowsGrant } from './grants.ts';
import { APIGEE_SCHEMA } from './schema.ts';
import { validateApigeeBinding } from './validate-binding.ts';
import { validateApigeeTarget } from './validate-target.ts';

export const apigee: ProviderKind = {
  kind: 'apigee',
  name: 'Apigee',
  title: 'Apigee Edge or X',
  schema: APIGEE_SCHEMA,
  // Apigee locks nothing while a product is listed: every field can be replaced in place.
  lockedWhilePublished: [],
  // Apigee has no per-product auth setting: the proxies' policies (VerifyAPIKey, OAuthV2) check
  // the app keys a product is granted to (reference §2, §7), so `auth:` protects nothing here.
  authProtects: () => false,
  hiddenWhileDraft: ['visibility', 'portalPublished'],
  // The `access` attribute only governs portal listing (reference §2.1); keys are checked at runtime
  // against the product itself, so existing apps are not cut off.
  unpublishConsequence:
    'unpublishing sets the product\'s access attribute to internal (and unpublishes its catalog item on an integrated portal, where the binding has portal:): it disappears from every developer portal and developers can no longer add it to their apps, while apps that already hold keys for it keep calling its APIs',
  // A catalog item unpublished, deleted or moved while the product stays published (portal.ts).
  fieldRisk: portalRisk,
  grantFields: APIGEE_GRANTS,
  validateTarget: validateApigeeTarget,
  validateBinding: (product, target) => validateApigeeBinding(product, target.settings.flavour === 'edge' ? 'edge' : 'x', target.owner),
  validateProject: (products) => checkApigeeNameCollisions(products),
  toDesired: (product) => toDesiredObjects(product),
  importObjects: importApigeeObjects,
  identify: (target) => ({ url: target.sandbox ? `sandbox://${target.name}` : managementRoot(target.url ?? ''), org: orgOf(target) ?? '' }),
  connect: (target, endpoint, options) => createApigeeProvider(target, endpoint, options),
};

/** One line naming the Apigee product, keeping status and retry hints for the executor. */
/**
 * The change's error, named by its product and saying which of its writes were done before it: a
 * change is several writes (the space move, the product, its catalog item), and a report that said
 * only "failed" would hide a product that is live.
 */
function aboutProduct(change: Change, error: unknown, done: readonly string[] = []): unknown {
  if (!(error instanceof ProviderError)) return error;
  const already = done.length ? `; already done: ${done.join(', ')} (the next plan shows what is left)` : '';
  return new ProviderError(`${change.key}: ${error.message}${already}`, error.status, error.retryable, error.retryAfterSeconds, error.haltsTarget);
}

async function listDirectory(client: ApigeeClient): Promise<ApigeeDirectory> {
  const [proxies, environments] = await Promise.all([client.listProxies(), client.listEnvironments()]);
  return { proxies, environments };
}

/** The product list being read, and its products mapped as its pages arrive (live-pages.ts). */
interface Listing {
  products: Promise<ApigeeProduct[]>;
  pages: LivePages;
}

export function createApigeeProvider(target: TargetConfig, endpoint: Endpoint, options: ConnectOptions = {}): Provider & { readonly locks: LockStore } {
  const client = createApigeeClient(target, endpoint, options);
  // Proxies and environments change rarely: listed once per run, and only if a change needs them.
  let directory: Promise<ApigeeDirectory> | undefined;
  const currentDirectory = (): Promise<ApigeeDirectory> => {
    // A failed listing is not cached: the next call (a retry) asks again.
    directory ??= listDirectory(client).catch((error: unknown) => {
      directory = undefined;
      throw error;
    });
    return directory;
  };

  /**
   * Whether an earlier try of this create did create the product: one GET by name. Ours with the
   * fingerprint this change writes: yes. Anything else under the name: an error, never a 409 loop.
   */
  const alreadyCreated = async (change: Change, name: string): Promise<boolean> => {
    const found = await client.getProduct(name);
    if (!found) return false;
    const attributes = Object.fromEntries((found.attributes ?? []).map((a) => [a.name, a.value]));
    const expected = appliedFingerprint(change.after!, change.after!.ignored);
    if (isOwnedBy(attributes, target.owner) && lastAppliedOf(attributes) === expected) return true;
    throw new ProviderError(`a product named ${name} appeared on the target while this apply ran (not written by it); run plan again`);
  };

  /**
   * Read after write: a product stored without the `managed-by` attribute is, to the next run, an
   * unmanaged product under our name (a collision that blocks every later apply). `created` is the
   * POST answer; without one, one GET by name. `confirmed`: the lost-answer lookup found it ours.
   */
  const verifyOwnership = async (name: string, created: ApigeeProduct | undefined, confirmed: boolean): Promise<void> => {
    if (!created && confirmed) return;
    const product = created ?? (await client.getProduct(name));
    const attributes = Object.fromEntries((product?.attributes ?? []).map((a) => [a.name, a.value]));
    if (!isOwnedBy(attributes, target.owner)) throw ownershipDropped(`attribute ${OWNER_ATTRIBUTE}`, target.name);
  };

  /**
   * The products observe() read, by name, as the server sent them: an update merges Git's fields
   * into this object (read, merge, write), so nothing Git does not describe is lost.
   */
  const observed = new Map<string, ApigeeProduct>();
  /** The live product an update starts from: the observed one, else one GET (a saved plan applied without observe). */
  const liveProduct = async (name: string): Promise<ApigeeProduct> => {
    const seen = observed.get(name) ?? (await client.getProduct(name));
    if (!seen) throw new ProviderError(`product ${name} is no longer on the target (deleted since the plan was made); run plan again`);
    return seen;
  };

  /** Every write marks the product with the configuration's owner and what Git says of `protected`. */
  const markerOf = (change: Change): MarkerOptions => markerFor(target.owner, change.protected);
  const ours = (product: ApigeeProduct): boolean => isOwned(product, target.owner);
  /** The catalog items of the portals this run read (catalog.ts); X only, as portals are. */
  let catalog = emptyCatalog();
  /**
   * Keeps what was read for the updates that follow (read, merge, write), and reads the portals
   * the compared states or the owned products name: one list per portal (portal.ts portalSites).
   */
  const remember = async (products: readonly ApigeeProduct[], scope: ObserveScope = {}, pages: LivePages = createLivePages(target.owner)): Promise<LiveObject[]> => {
    observed.clear();
    for (const product of products) observed.set(product.name, product);
    catalog = emptyCatalog();
    const objects = scope.objects ?? [];
    await readCatalog(client.catalog, portalSites(objects.map((object) => object.state), products, (product) => pages.liveOf(product).owned), catalog);
    const wanted = wantedSites(objects);
    return products.map((product) => {
      const item = catalog.byProduct.get(product.name);
      return item && claimsItem(product, item.site, wanted.get(product.name)) ? toLiveObject(product, target.owner, item) : pages.liveOf(product);
    });
  };

  /** The pager of the last listing started, whether readAhead() or observe() started it: what expect() tells. */
  let latestPager: ProductPager | undefined;
  const listAndMap = (): Listing => {
    const pages = createLivePages(target.owner);
    latestPager = client.listProducts(undefined, (products) => pages.add(products));
    return { products: latestPager.products, pages };
  };
  /** The listing readAhead() started; taken by the next observe(), so a later one lists again. */
  let listedAhead: Listing | undefined;
  const takeListing = (): Listing => {
    const listed = listedAhead ?? listAndMap();
    listedAhead = undefined;
    return listed;
  };

  const provider: Provider & { readonly locks: LockStore } = {
    traffic: client.traffic,
    // Integrated portals (X only) are read for the sites the desired states name (portal.ts portalSites).
    readsByScope: flavourOf(target) === 'x',
    readAhead() {
      if (listedAhead) return;
      listedAhead = listAndMap();
      // Awaited by the observe() that takes it; until then a failure is not an unhandled rejection.
      listedAhead.products.catch(() => undefined);
    },
    locks: createApigeeLockStore(client, target.name),
    // The desired keys are the Apigee product names (toDesiredObjects).
    expect: (keys) => latestPager?.expect(keys),

    async observe(scope): Promise<LiveObject[]> {
      // The one place lock records are left out: plan, import, prune and apply all read observe(),
      // so none of them ever counts, offers, deletes or updates a lock.
      const { products, pages } = takeListing();
      return remember((await products).filter((product) => !isLockRecord(product)), scope, pages);
    },

    async observeOwned(scope): Promise<LiveObject[]> {
      // `attributename`/`attributevalue` (reference §3; cloud.google.com …/organizations.apiproducts/list:
      // "Filter the list by passing an attributename and attibutevalue"), checked again here: a
      // server that ignores the filter answers every product, which isOwned narrows to ours.
      const products = await client.listProducts({ name: OWNER_ATTRIBUTE, value: OWNER_VALUE }).products;
      return remember(products.filter((product) => ours(product) && !isLockRecord(product)), scope);
    },

    async preflight(changes) {
      const ours = changes.filter((change) => change.target === target.name);
      if (!needsDirectory(ours)) return [];
      try {
        return checkReferences(ours, await currentDirectory(), target.name, orgOf(target) ?? '');
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        return [{ severity: 'error', rule: 'apigee/preflight-failed', message: error.message, target: target.name }];
      }
    },

    countConsumers: (changes) =>
      countConsumersPerObject(changes, {
        consumers: 'developer apps',
        // Deleting makes the apps' requests fail; unpublishing (access internal) leaves their keys
        // working (unpublishConsequence above); an update removing a grant narrows what they reach.
        // Any other high-risk update (a widened grant, a catalog item moved) leaves what they reach in place.
        effectOf: (steps) => (steps.some((step) => step.action === 'delete') ? 'breaks' : steps.some((step) => step.action === 'unpublish') ? 'affects' : steps.some(narrowsGrant) ? 'narrows' : 'affects'),
        read: (step) => client.countApps(step.ref?.name ?? step.key),
      }),

    async apply(change) {
      // The key is the Apigee name; `ref.name` (what observe saw) is preferred when the plan has it.
      const name = change.ref?.name ?? change.key;
      const done: string[] = [];
      const attempted = await tallyTries(async () => {
        if (change.action === 'delete') {
          const listed = (catalog.allByProduct.get(name) ?? []).length > 0;
          await removeCatalogItem(client.catalog, catalog, name);
          if (listed) done.push('its catalog items removed');
          await client.deleteProduct(name);
          return;
        }
        if (!change.after) throw new ProviderError(`cannot ${change.action}: the change does not say what the product becomes`);
        const body = toProductBody(change.after, name, change.product, markerOf(change));
        if (change.action !== 'create') {
          const state = change.after.state as unknown as ApigeeState;
          const live = await liveProduct(name);
          const merged = mergeProductBody(live, body, state.operations ?? [], operationSettingsOf(state));
          applyApiOperationGroups(merged, live, state);
          // Never the security regression of issue 14: a product bound only by operations left with no bounds at all.
          const bounded = (value: unknown): boolean => Array.isArray(value) && value.length > 0;
          if (hasOperationConfigs(live.operationGroup) && !merged.operationGroup && !bounded(merged.proxies) && !bounded(merged.apiResources)) {
            throw new ProviderError(`${name} is bounded by its operationGroup only, and this change would remove it, leaving a product that grants every app key access to every API proxy in the organization; list its operations: in Git (apiproducts import writes them), or proxies or resources; nothing was written`);
          }
          if (boundByApiOperations(live) && !boundByApiOperations(merged) && !merged.operationGroup && !bounded(merged.proxies) && !bounded(merged.apiResources)) {
            throw new ProviderError(`${name} is bounded by its GraphQL or gRPC operations only, and this change would remove them, leaving a product that grants every app key access to every API proxy in the organization; list graphqlOperations:/grpcOperations: in Git (apiproducts import writes them), or proxies or resources; nothing was written`);
          }
          // Only once nothing above refused the change: a move is a write too.
          await moveToSpace(client, live, state.space);
          if (state.space !== undefined && state.space !== live.space) done.push(`moved to space ${state.space}`);
          await client.replaceProduct(name, merged);
          done.push('the product written');
          // What the server holds now, for a later change of the same product in this run.
          observed.set(name, { ...merged, name } as ApigeeProduct);
          await syncCatalogItem(client.catalog, catalog, name, change.after, recordedSite(live));
          return;
        }
        let confirmed = false;
        const created = await client.createProduct(body, async () => {
          confirmed = await alreadyCreated(change, name);
          return confirmed;
        });
        done.push('the product created');
        await verifyOwnership(name, created, confirmed);
        await syncCatalogItem(client.catalog, catalog, name, change.after);
      });
      return attempted.error === undefined ? attempted : { ...attempted, error: aboutProduct(change, attempted.error, [...new Set(done)]) };
    },
  };
  return provider;
}
