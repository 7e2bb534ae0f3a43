/**
 * Preflight for API7: before anything is written, everything a change links to must exist and be
 * free. Works on one observation's lists, so it costs no request of its own.
 */
import type { Diagnostic } from '../../model/diagnostic.ts';
import type { Change } from '../../model/plan.ts';
import { findGroup, findService, OAUTH_PREFIX, type Api7Directory, type Api7State } from './mapping.ts';
import type { Api7Product } from './wire.ts';
import { listNames } from '../list-names.ts';
import { linkOrder } from './link-order.ts';

const serviceKey = (groupId: string, serviceId: string): string => `${groupId}/${serviceId}`;

/** Changes that write a product whose links must hold afterwards. */
const WRITES = new Set(['create', 'update', 'publish']);

/**
 * Every linked gateway group, service, host and DCR provider exists; no service is linked to a
 * product other than the one being changed, unless this plan deletes that product or unlinks it.
 */
export function checkLinks(changes: readonly Change[], products: readonly Api7Product[], directory: Api7Directory, target: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const holders = new Map<string, Api7Product>();
  for (const product of products) {
    for (const link of product.linked_gateway_services ?? []) holders.set(serviceKey(link.gateway_group_id, link.service_id), product);
  }
  const releases = linkReleases(changes, directory);
  const claimed = new Map<string, string>();

  for (const change of changes) {
    if (!WRITES.has(change.action) || !change.after) continue;
    const state = change.after.state as unknown as Api7State;
    if (state.type !== 'gateway') continue;
    const report = (rule: string, message: string, fix: string): void => {
      diagnostics.push({
        severity: 'error',
        rule: `api7/${rule}`,
        message: `${change.product}: ${message}`,
        fix,
        ...(change.source ? { source: change.source } : {}),
        target,
        product: change.product,
      });
    };

    // The template a link's service was published from: its id, the same in every group (reference Round 2).
    const templates = new Map<string, string>();
    for (const link of state.services) {
      const group = findGroup(directory, link.gatewayGroup);
      if (!group) {
        report('unknown-gateway-group', `gateway group "${link.gatewayGroup}" does not exist on target ${target} (available: ${listNames(directory.groups.map((g) => g.name))})`,
          'correct gatewayGroup, or create the gateway group first');
        continue;
      }
      const service = findService(directory, group.id, link.service);
      if (!service) {
        const names = (directory.services.get(group.id) ?? []).map((s) => s.name);
        report('unknown-service', `service "${link.service}" is not published in gateway group "${link.gatewayGroup}" (available: ${listNames(names)})`,
          'correct service, or publish the service to that gateway group first');
        continue;
      }
      const hosts = new Set(service.hosts ?? []);
      for (const host of link.hosts.filter((h) => !hosts.has(h))) {
        report('unknown-host', `host "${host}" is not a host of service "${link.service}" in gateway group "${link.gatewayGroup}" (its hosts: ${listNames([...hosts])})`,
          'use one of the service\'s hosts, or leave hosts out to link every host');
      }
      const sameTemplate = templates.get(service.id);
      if (sameTemplate !== undefined && sameTemplate !== link.gatewayGroup) {
        report('service-template-twice', `service "${link.service}" is linked from gateway groups "${sameTemplate}" and "${link.gatewayGroup}"; both are published from one service template, and API7 puts a template's services in one product from one gateway group only`,
          'link the service from one gateway group, and make another product for the other group');
      }
      templates.set(service.id, link.gatewayGroup);
      const key = serviceKey(group.id, service.id);
      const holder = holders.get(key);
      if (holder && holder.id !== change.ref?.id && !releases(holder.id, key)) {
        report('service-taken', `service "${link.service}" of gateway group "${link.gatewayGroup}" is already linked to product "${holder.name}"`,
          'a service belongs to one API product only: unlink it from that product first, or link another service');
      }
      const other = claimed.get(key);
      if (other !== undefined && other !== change.product) {
        report('service-taken', `service "${link.service}" of gateway group "${link.gatewayGroup}" is also linked by product "${other}" in this plan`,
          'a service belongs to one API product only: link it from one product');
      }
      claimed.set(key, change.product);
    }

    for (const method of state.auth.filter((m) => m.startsWith(OAUTH_PREFIX))) {
      const name = method.slice(OAUTH_PREFIX.length);
      if (!directory.dcrByName.has(name)) {
        report('unknown-dcr-provider', `DCR provider "${name}" does not exist on target ${target} (available: ${listNames(directory.dcrProviders.map((p) => p.name))})`,
          'correct oauth.dcrProvider, or create the DCR provider first');
      }
    }
  }
  for (const [freer, taker] of linkOrder(changes).swaps) {
    diagnostics.push({
      severity: 'error',
      rule: 'api7/service-swap',
      message: `${taker.product} and ${freer.product} each take a gateway service the other frees; a service belongs to one API product only, so no order of the two updates works in one apply`,
      fix: `move the services in two applies: first remove the service from one product (apply), then link it to the other`,
      ...(taker.source ? { source: taker.source } : {}),
      target,
      product: taker.product,
    });
  }
  return diagnostics;
}

/**
 * Whether this plan removes a live product's link to a service (by `<group id>/<service id>`):
 * the product is deleted, or rewritten without the link. Deletes run first; an update freeing a
 * link runs before the update taking it (link-order.ts), and a swap is reported below.
 */
function linkReleases(changes: readonly Change[], directory: Api7Directory): (productId: string, key: string) => boolean {
  const deleted = new Set<string>();
  const kept = new Map<string, Set<string>>();
  for (const change of changes) {
    const id = change.ref?.id;
    if (!id) continue;
    if (change.action === 'delete') {
      deleted.add(id);
      continue;
    }
    if (!change.after) continue;
    const keys = kept.get(id) ?? new Set<string>();
    const state = change.after.state as unknown as Api7State;
    for (const link of state.type === 'gateway' ? state.services : []) {
      const group = findGroup(directory, link.gatewayGroup);
      const service = group && findService(directory, group.id, link.service);
      if (group && service) keys.add(serviceKey(group.id, service.id));
    }
    kept.set(id, keys);
  }
  return (productId, key) => deleted.has(productId) || (kept.get(productId)?.has(key) === false);
}
