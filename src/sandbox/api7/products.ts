import type { Api7LinkedService, Api7Product, Api7ProductBody } from './wire.ts';
import { badRequest, notFound, paginate, parseJsonObject, requiredQuery, type Api7Call, type Api7Reply } from './http.ts';
import { parseProductBody } from './product-body.ts';
import type { Api7State } from './state.ts';
import { cancelSubscriptions } from './subscriptions.ts';

/** The products of the portal named by `?portal_id=`: 400 when it is missing, 404 when unknown. */
function portalOf(call: Api7Call): { portalId: string; products: Api7Product[] } {
  const portalId = requiredQuery(call.query, 'portal_id');
  if (!call.state.portals.some((portal) => portal.id === portalId)) throw notFound('portal not found');
  return { portalId, products: call.state.products[portalId] ?? [] };
}

function productOf(call: Api7Call): { products: Api7Product[]; index: number; product: Api7Product } {
  const { products } = portalOf(call);
  const index = products.findIndex((product) => product.id === call.params[0]);
  const product = products[index];
  if (!product) throw notFound('api product not found');
  return { products, index, product };
}

function allProducts(state: Api7State): Api7Product[] {
  return Object.values(state.products).flat();
}

/** Readable and stable, like the seeded ids: `prod-<slug of the name>`, suffixed when taken. */
function newProductId(state: Api7State, name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'product';
  const taken = new Set(allProducts(state).map((product) => product.id));
  let id = `prod-${slug}`;
  for (let suffix = 2; taken.has(id); suffix++) id = `prod-${slug}-${suffix}`;
  return id;
}

function linksSameService(a: Api7LinkedService, b: Api7LinkedService): boolean {
  return a.gateway_group_id === b.gateway_group_id && a.service_id === b.service_id;
}

/** Everything the body refers to must exist, and a service may back one product only. */
function checkReferences(state: Api7State, body: Api7ProductBody, selfId?: string): void {
  for (const link of body.linked_gateway_services ?? []) {
    const { gateway_group_id: groupId, service_id: serviceId } = link;
    if (!state.gatewayGroups.some((group) => group.id === groupId)) {
      throw badRequest(`gateway group ${groupId} not found`);
    }
    const service = state.services[groupId]?.find((candidate) => candidate.id === serviceId);
    if (!service) throw badRequest(`service ${serviceId} not found in gateway group ${groupId}`);
    const unknownHost = link.linked_hosts?.find((host) => !service.hosts?.includes(host));
    if (unknownHost !== undefined) {
      throw badRequest(`host ${unknownHost} is not a host of service ${serviceId} in gateway group ${groupId}`);
    }
    const owner = allProducts(state).find(
      (product) => product.id !== selfId && product.linked_gateway_services?.some((other) => linksSameService(other, link)),
    );
    if (owner) throw badRequest(`service ${serviceId} is already linked to api product ${owner.name}`);
  }
  // "Services from one template in two gateway groups cannot be in one product" (reference Round 2).
  const links = body.linked_gateway_services ?? [];
  const twice = links.find((link, index) => links.some((other, at) => at !== index && other.service_id === link.service_id && other.gateway_group_id !== link.gateway_group_id));
  if (twice) throw badRequest(`service ${twice.service_id} is linked from two gateway groups; services of one template cannot be in one api product`);
  const dcrProviderId = body.auth?.dcr?.dcr_provider_id;
  if (dcrProviderId !== undefined && !state.dcrProviders.some((provider) => provider.id === dcrProviderId)) {
    throw badRequest(`dcr provider ${dcrProviderId} not found`);
  }
}

/** JSON equality that ignores key order, which carries no meaning in an `auth` object. */
function sameJson(a: unknown, b: unknown): boolean {
  const canonical = (value: unknown): unknown =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? Object.fromEntries(
          Object.entries(value)
            .sort(([x], [y]) => (x < y ? -1 : 1))
            .map(([key, nested]) => [key, canonical(nested)]),
        )
      : Array.isArray(value)
        ? value.map(canonical)
        : value;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/**
 * `labels[key]=value` is ignored here on purpose. It is a documented list filter for services
 * (reference §1, C, ADC) but not for products (not among the 0.11.0 OpenAPI list parameters of
 * /api/api_products, Round 2 [OAS]), so a client cannot count on it: ignoring it is the strict
 * side, and a client that forgets to filter what it asked for sees other products and fails a test.
 */
export function listProducts(call: Api7Call): Api7Reply {
  return { body: paginate(portalOf(call).products, call) };
}

export function getProduct(call: Api7Call): Api7Reply {
  return { body: { value: productOf(call).product } };
}

export function createProduct(call: Api7Call): Api7Reply {
  const { portalId } = portalOf(call);
  const parsed = parseProductBody(parseJsonObject(call.body));
  checkReferences(call.state, parsed);
  // The unconfirmed behaviour behind Api7EmulatorOptions.dropExternalLabels: labels never stored.
  const { labels: _dropped, ...unlabelled } = parsed;
  const body = call.dropExternalLabels && parsed.type === 'external' ? unlabelled : parsed;
  const product: Api7Product = {
    id: newProductId(call.state, body.name),
    ...body,
    created_at: call.now,
    updated_at: call.now,
  };
  (call.state.products[portalId] ??= []).push(product);
  return { body: { value: product }, mutated: true };
}

/**
 * A full replace of the writable fields. The vendor locks `auth` while a product stays
 * published, and unpublishing cancels every subscription (reference §2, §3).
 */
export function replaceProduct(call: Api7Call): Api7Reply {
  const { products, index, product: existing } = productOf(call);
  const body = parseProductBody(parseJsonObject(call.body));
  const wasPublished = existing.status === 'published';
  if (wasPublished && body.status === 'published' && !sameJson(existing.auth ?? {}, body.auth ?? {})) {
    throw badRequest('the authentication of a published api product cannot be changed; unpublish it first');
  }
  checkReferences(call.state, body, existing.id);
  if (wasPublished && body.status === 'draft') cancelSubscriptions(call.state, existing.id);
  const replaced: Api7Product = { id: existing.id, ...body, created_at: existing.created_at, updated_at: call.now };
  products[index] = replaced;
  return { body: { value: replaced }, mutated: true };
}

export function deleteProduct(call: Api7Call): Api7Reply {
  const { products, index, product } = productOf(call);
  products.splice(index, 1);
  cancelSubscriptions(call.state, product.id);
  return { body: {}, mutated: true };
}
