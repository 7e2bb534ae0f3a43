/**
 * Offline API7 rules the neutral product schema cannot express (DESIGN §3): which common values
 * API7 accepts, what a gateway and an external binding must and must not carry, and whether an
 * external product's OpenAPI file exists and parses. Every problem is reported, none thrown.
 */
import path from 'node:path';
import type { Diagnostic, Severity } from '../../model/diagnostic.ts';
import type { EffectiveProduct } from '../../model/product.ts';
import type { ReferencedFile } from '../../model/referenced-file.ts';
import { APPLIED_LABEL, OWNER_NAME_LABEL, PROTECTED_LABEL } from './ownership.ts';
import { LOCK_LABEL, LOCK_NAME_PREFIX, NAME_LABEL, OWNER_LABEL } from './wire.ts';

const VISIBILITIES = ['public', 'logged-in'];
const MAX_NAME_LENGTH = 100;
const MANAGED = 'apiproducts marks the products it manages with it';
/** Labels Git may not write, and why (a Map: a label named `constructor` is not reserved). */
const RESERVED_LABELS: ReadonlyMap<string, string> = new Map([
  [OWNER_LABEL, MANAGED],
  [NAME_LABEL, MANAGED],
  [APPLIED_LABEL, MANAGED],
  [OWNER_NAME_LABEL, 'apiproducts writes the owner: of apiproducts.yaml into it'],
  [PROTECTED_LABEL, 'apiproducts records protected: true in it; write protected: true on the product instead'],
  [LOCK_LABEL, "it marks apiproducts' apply-lock records, which no plan sees"],
]);

/** The binding block as written (EffectiveProduct.binding has the overridden fields removed). */
function writtenBinding(product: EffectiveProduct): Record<string, unknown> {
  return (product.source.spec.targets[product.target] as Record<string, unknown> | undefined) ?? {};
}

/** Where a common field's effective value comes from: the binding when it overrides it. */
function fieldPath(product: EffectiveProduct, field: string): (string | number)[] {
  return field in writtenBinding(product) ? ['targets', product.target, field] : [field];
}

/** `products/specs/weather.yaml`: the openapi path resolved against the product file, as shown to users. */
export function openapiDisplayPath(product: EffectiveProduct): string | undefined {
  const openapi = product.binding.openapi;
  return typeof openapi === 'string' ? path.join(path.dirname(product.source.file), openapi) : undefined;
}

/** The spec of an external product as the loader read it (once, for validation and desired objects alike). */
function openapiFile(product: EffectiveProduct): ReferencedFile | undefined {
  const openapi = product.binding.openapi;
  return typeof openapi === 'string' ? product.source.referenced?.[openapi] : undefined;
}

/** The spec text of an external product, or undefined when there is none to read. */
export function readOpenapiText(product: EffectiveProduct): string | undefined {
  const file = openapiFile(product);
  return file?.status === 'read' ? file.text : undefined;
}

export function validateApi7Binding(product: EffectiveProduct): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report = (severity: Severity, rule: string, at: (string | number)[], message: string, fix: string): void => {
    diagnostics.push({
      severity,
      rule: `api7/${rule}`,
      message,
      fix,
      source: product.source.locate(at),
      target: product.target,
      product: product.name,
    });
  };
  const bindingPath = (key: string): (string | number)[] => ['targets', product.target, key];
  const written = writtenBinding(product);
  const binding = product.binding;

  if (!VISIBILITIES.includes(product.visibility)) {
    report('error', 'visibility', fieldPath(product, 'visibility'),
      `visibility "${product.visibility}" is not available on API7 (public or logged-in)`,
      `set visibility to public or logged-in (in targets.${product.target} to keep it for other targets)`);
  }
  if (product.access === 'restricted' && product.visibility !== 'logged-in') {
    report('error', 'restricted-access', fieldPath(product, 'access'),
      'access "restricted" on API7 requires visibility logged-in (invite-only is manual approval for signed-in developers)',
      'set visibility: logged-in, or access: approval');
  }
  // Binding labels are merged over the common ones, so each label is located where it is written.
  const bindingLabels = (written.labels ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(product.labels)) {
    const reason = RESERVED_LABELS.get(key);
    if (reason !== undefined) {
      report('error', 'reserved-label', key in bindingLabels ? [...bindingPath('labels'), key] : ['labels', key],
        `label "${key}" is reserved: ${reason}`, `remove the label "${key}"`);
    }
  }
  // The Admin API's product `name` has `maxLength: 100`, and label values must be non-empty
  // (reference Round 2, [OAS]): refused here, not by the server halfway through an apply.
  const nameLength = [...product.displayName].length;
  if (nameLength > MAX_NAME_LENGTH) {
    report('error', 'name-too-long', fieldPath(product, 'displayName'),
      `displayName is ${nameLength} characters; API7 product names are at most ${MAX_NAME_LENGTH}`,
      `shorten displayName to ${MAX_NAME_LENGTH} characters or fewer (in targets.${product.target} to keep the long one for other targets)`);
  }
  for (const [key, value] of Object.entries(product.labels)) {
    if (value === '') {
      report('error', 'empty-label', key in bindingLabels ? [...bindingPath('labels'), key] : ['labels', key],
        `label "${key}" has an empty value; API7 refuses empty label values`, `give the label "${key}" a value, or remove it`);
    }
  }
  // Lock records are known by this name prefix (locks.ts) and kept out of every list: a product
  // named so would never be seen again after its create, and every apply would create another.
  if (product.displayName.startsWith(LOCK_NAME_PREFIX)) {
    report('error', 'reserved-name', fieldPath(product, 'displayName'),
      `displayName "${product.displayName}" starts with "${LOCK_NAME_PREFIX}", which names apiproducts' apply-lock records on API7`,
      `choose a displayName that does not start with "${LOCK_NAME_PREFIX}"`);
  }

  if (binding.type !== 'gateway' && binding.type !== 'external') {
    const shown = binding.type === undefined ? 'missing' : `"${String(binding.type)}"`;
    report('error', 'type', binding.type === undefined ? ['targets', product.target] : bindingPath('type'),
      `API7 product type is ${shown} (gateway or external)`,
      'add type: gateway (linked gateway services) or type: external (an OpenAPI document)');
    return diagnostics;
  }

  if (binding.type === 'gateway') {
    const services = binding.services;
    if (!Array.isArray(services) || services.length === 0) {
      report('error', 'services', services === undefined ? ['targets', product.target] : bindingPath('services'),
        'a gateway product links at least one gateway service',
        'add services: [{gatewayGroup: <group>, service: <service name>}]');
    } else {
      checkServiceEntries(services, report, bindingPath('services'));
    }
    for (const key of ['openapi', 'serverUrls']) {
      if (key in written) {
        report('error', 'gateway-field', bindingPath(key), `"${key}" belongs to external products; a gateway product documents its services`,
          `remove "${key}", or set type: external`);
      }
    }
    if (product.plans.length > 0) {
      report('warning', 'plans-ignored', fieldPath(product, 'plans'),
        'plans are not applied on API7: rate limits live on the gateway service there',
        'configure limit-count / limit-req on the linked service, or drop plans for this target');
    }
    return diagnostics;
  }

  if ('services' in written) {
    report('error', 'external-services', bindingPath('services'), 'an external product links no gateway services',
      'remove services, or set type: gateway');
  }
  if (product.auth.length > 0) {
    report('error', 'external-auth', fieldPath(product, 'auth'),
      'auth is not available on an external product: the gateway does not proxy it', 'remove auth for this target');
  }
  if (product.plans.length > 0) {
    report('error', 'external-plans', fieldPath(product, 'plans'),
      'plans are not available on an external product: the gateway does not proxy it', 'remove plans for this target');
  }
  const serverUrls = binding.serverUrls;
  if (!Array.isArray(serverUrls) || serverUrls.length === 0 || !serverUrls.every((url) => typeof url === 'string')) {
    report('error', 'server-urls', serverUrls === undefined ? ['targets', product.target] : bindingPath('serverUrls'),
      'an external product needs serverUrls: the base URLs developers call',
      'add serverUrls: [https://api.example.com]');
  }
  if (typeof binding.openapi !== 'string' || binding.openapi === '') {
    report('error', 'openapi-required', binding.openapi === undefined ? ['targets', product.target] : bindingPath('openapi'),
      'an external product needs openapi: the path of its OpenAPI document', 'add openapi: ./specs/<name>.yaml');
    return diagnostics;
  }
  checkOpenapiFile(product, report, bindingPath('openapi'));
  return diagnostics;
}

type Report = (severity: Severity, rule: string, at: (string | number)[], message: string, fix: string) => void;

function checkServiceEntries(services: unknown[], report: Report, at: (string | number)[]): void {
  const seen = new Set<string>();
  services.forEach((entry, index) => {
    const link = (entry ?? {}) as Record<string, unknown>;
    if (typeof link.gatewayGroup !== 'string' || typeof link.service !== 'string') {
      report('error', 'service-entry', [...at, index], 'a linked service needs gatewayGroup and service (names)',
        'write {gatewayGroup: <group>, service: <service name>, hosts: [optional]}');
      return;
    }
    if (link.hosts !== undefined && !(Array.isArray(link.hosts) && link.hosts.every((h) => typeof h === 'string'))) {
      report('error', 'service-entry', [...at, index, 'hosts'], 'hosts is a list of host names of the service',
        'write hosts: [api.example.com], or leave it out for every host');
    }
    const id = `${link.gatewayGroup}/${link.service}`;
    if (seen.has(id)) {
      report('error', 'duplicate-service', [...at, index], `service "${link.service}" of gateway group "${link.gatewayGroup}" is listed twice`,
        'list each service once; put all its hosts in one entry');
    }
    seen.add(id);
  });
}

function checkOpenapiFile(product: EffectiveProduct, report: Report, at: (string | number)[]): void {
  const shown = openapiDisplayPath(product) ?? '';
  const file = openapiFile(product) ?? { status: 'missing', problem: `OpenAPI file ${shown} was not read`, fix: 'load the product with the project loader' };
  if (file.status !== 'read') {
    report('error', file.status === 'missing' ? 'openapi-missing' : file.status === 'invalid' ? 'openapi-invalid' : 'openapi-unreadable', at, file.problem, file.fix);
    return;
  }
  const document = file.value;
  const isObject = document !== null && typeof document === 'object' && !Array.isArray(document);
  if (!isObject || !('openapi' in (document as object) || 'swagger' in (document as object))) {
    report('error', 'openapi-invalid', at, `OpenAPI file ${shown} has no "openapi" or "swagger" version key`,
      'point openapi at an OpenAPI 3 or Swagger 2 document');
  }
}
