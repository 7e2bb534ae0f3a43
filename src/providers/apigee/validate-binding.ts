/**
 * Offline Apigee rules the neutral product schema cannot express (DESIGN §3, reference §2, §7):
 * which common values Apigee accepts, what a binding must carry, resource path syntax, the
 * quota a plan can become, and the 18-attribute cap. Every problem is reported, none thrown.
 */
import type { Diagnostic, Severity } from '../../model/diagnostic.ts';
import type { EffectiveProduct } from '../../model/product.ts';
import { objectKey, RESERVED_ATTRIBUTES, desiredState } from './mapping.ts';
import { markerAttributeCount } from './ownership.ts';
import { coarsestLimit, isLimitAttribute } from './plan-limits.ts';
import { MAX_ATTRIBUTES } from './wire.ts';
import { markerFor } from '../../model/objects.ts';

/** Characters Apigee allows in a product name (reference §2), checked on `<name>-<plan>`. */
const APIGEE_NAME = /^[A-Za-z0-9._\-$ %]+$/;

type At = (string | number)[];
type Report = (severity: Severity, rule: string, at: At, message: string, fix: string) => void;

/** The binding block as written (EffectiveProduct.binding has the overridden fields removed). */
function writtenBinding(product: EffectiveProduct): Record<string, unknown> {
  return (product.source.spec.targets[product.target] as Record<string, unknown> | undefined) ?? {};
}

/** Where a common field's effective value comes from: the binding when it overrides it. */
function fieldPath(product: EffectiveProduct, field: string): At {
  return field in writtenBinding(product) ? ['targets', product.target, field] : [field];
}

/**
 * `/`, `/*`, `/**` and literal paths such as `/charges/**` or `/refunds` (reference §7): a path
 * starts with `/`, has no empty segment, no query or fragment, and a wildcard is a whole segment,
 * `**` only at the end. Returns why a path is not valid, or undefined.
 */
export function resourcePathProblem(path: string): string | undefined {
  if (path === '/') return undefined;
  if (!path.startsWith('/')) return 'it must start with /';
  if (/[\s?#]/.test(path)) return 'it may not contain spaces, a query (?) or a fragment (#)';
  const segments = path.slice(1).split('/');
  for (const [index, segment] of segments.entries()) {
    if (segment === '') return index === segments.length - 1 ? 'it may not end with / (write /path, or /path/** for what is below)' : 'it has an empty segment (//)';
    if (segment === '**' && index !== segments.length - 1) return '/** may only end a path';
    if (segment.includes('*') && segment !== '*' && segment !== '**') return 'a wildcard must be a whole segment: /* or /**';
  }
  return undefined;
}

/** `flavour`: the target's; operations exist on X only (reference §2: operationGroup is X-only). */
export function validateApigeeBinding(product: EffectiveProduct, flavour: 'edge' | 'x' = 'x', owner?: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report: Report = (severity, rule, at, message, fix) => {
    diagnostics.push({ severity, rule: `apigee/${rule}`, message, fix, source: product.source.locate(at), target: product.target, product: product.name });
  };
  const bindingPath = (...keys: (string | number)[]): At => ['targets', product.target, ...keys];
  const written = writtenBinding(product);

  // Only when written: the default `logged-in` means "not anonymous", which is `private` here (mapping.ts).
  const visibilityWritten = 'visibility' in written || 'visibility' in product.source.spec;
  if (product.visibility === 'logged-in' && visibilityWritten) {
    report('error', 'visibility', fieldPath(product, 'visibility'),
      'visibility "logged-in" is not available on Apigee: its portals list a product to everyone (public) or to nobody (private, internal)',
      `set visibility to public, private or internal (in targets.${product.target} to keep logged-in for other targets)`);
  }
  // `auth` is not an error or warning here: one product file serves API7 (where auth is the
  // product's) and Apigee (where proxies enforce keys with VerifyAPIKey/OAuthV2), and warning on
  // every shared product would bury real warnings. The mapping table in docs/product-model.md says it is not used.
  checkBounds(product, report, bindingPath);
  const xOnly = ['operations', 'graphqlOperations', 'grpcOperations'].filter((key) => Array.isArray(product.binding[key]) && (product.binding[key] as unknown[]).length > 0);
  if (flavour === 'edge' && xOnly.length > 0) {
    report('error', 'operations-edge', bindingPath(xOnly[0]!), `${xOnly.join(', ')} (operation groups) exist on Apigee X only; Apigee Edge has no such field`,
      'list proxies: and resources: for an Edge target');
  }
  if (flavour === 'edge' && product.binding.quotaCounterScope !== undefined) {
    report('error', 'quota-counter-scope-edge', bindingPath('quotaCounterScope'), 'quotaCounterScope exists on Apigee X only; an Edge product counts its quota per product',
      'remove quotaCounterScope from the Edge target');
  }
  if (flavour === 'edge' && product.binding.space !== undefined) {
    report('error', 'space-edge', bindingPath('space'), 'space (Apigee Spaces) exists on Apigee X only; an Edge product belongs to the whole organization',
      'remove space from the Edge target');
  }
  if (flavour === 'edge' && product.binding.portal !== undefined) {
    report('error', 'portal-edge', bindingPath('portal'), 'portal (integrated portal catalog items, organizations.sites.apidocs) exists on Apigee X only',
      'remove portal from the Edge target');
  }
  checkPlans(product, report);
  checkAttributes(product, report, owner);
  return diagnostics;
}

/** Proxies or resources limit what an app key reaches; without both it reaches the whole org (seed 003). */
function checkBounds(product: EffectiveProduct, report: Report, bindingPath: (...keys: (string | number)[]) => At): void {
  const binding = product.binding;
  const resources = Array.isArray(binding.resources) ? binding.resources : [];
  resources.forEach((path, index) => {
    const problem = resourcePathProblem(String(path));
    if (problem) {
      report('error', 'resource-path', bindingPath('resources', index), `resource path "${String(path)}" is not valid: ${problem}`,
        'write / (the base path and below), /* (one level below), /** (every level below) or a literal path such as /charges/**');
    }
  });
  const proxies = Array.isArray(binding.proxies) ? binding.proxies : [];
  // X operations (operations.ts) bound a product as proxies do (reference "Round 2").
  const operations = ['operations', 'graphqlOperations', 'grpcOperations'].flatMap((key) => (Array.isArray(binding[key]) ? (binding[key] as unknown[]) : []));
  if (Array.isArray(binding.operations) && binding.operations.length > 0 && resources.length > 0) {
    report('error', 'operations-with-resources', bindingPath('resources'),
      'Apigee X refuses apiResources together with an operationGroup (reference §4)',
      'move the resource paths into operations: [{apiSource: <proxy>, resource: /path/**}]');
  }
  if (proxies.length === 0 && resources.length === 0 && operations.length === 0 && binding.unbounded !== true) {
    report('error', 'unbounded', ['targets', product.target],
      'a product with no proxies, no resources and no operations grants its app keys access to every API in the organization',
      'list proxies: [<proxy>], resources: [/path/**] or operations: [{apiSource: <proxy>, resource: /path/**}], or write unbounded: true if that is really intended');
  }
}

function checkPlans(product: EffectiveProduct, report: Report): void {
  const plansAt = fieldPath(product, 'plans');
  const seen = new Set<string>();
  product.plans.forEach((plan, index) => {
    if (seen.has(plan.name)) {
      report('error', 'duplicate-plan', [...plansAt, index, 'name'], `plan "${plan.name}" is listed twice: both would be the Apigee product ${objectKey(product.name, plan)}`,
        'give every plan its own name');
    }
    seen.add(plan.name);
    const coarsest = coarsestLimit(plan.limits);
    if (!coarsest?.unit) {
      report('error', 'quota-unit', [...plansAt, index, 'limits'],
        `plan "${plan.name}" has no limit Apigee can count as a quota (per minute, hour, day or month); ${coarsest ? 'perSecond' : 'burst'} alone becomes an attribute for SpikeArrest`,
        'add perMinute, perHour, perDay or perMonth to the plan');
    }
  });
  const plans = product.plans.length > 0 ? product.plans : [undefined];
  for (const plan of plans) {
    const key = objectKey(product.name, plan);
    if (!APIGEE_NAME.test(key)) {
      report('error', 'name', plan ? [...plansAt, product.plans.indexOf(plan), 'name'] : ['name'],
        `"${key}" is not a valid Apigee product name (letters, digits, space and . _ - $ % only)`, 'rename the product or the plan');
    }
  }
}

function checkAttributes(product: EffectiveProduct, report: Report, owner: string | undefined): void {
  const bindingLabels = (writtenBinding(product).labels ?? {}) as Record<string, unknown>;
  const labelAt = (key: string): At => (key in bindingLabels ? ['targets', product.target, 'labels', key] : ['labels', key]);
  for (const key of Object.keys(product.labels)) {
    // A label `team` next to `team:` is refused for every vendor (validate/label-keys.ts).
    const generated = isLimitAttribute(key);
    if (RESERVED_ATTRIBUTES.includes(key) || generated) {
      report('error', 'reserved-attribute', labelAt(key),
        `label "${key}" would overwrite the attribute apiproducts writes ${generated ? 'from plans' : 'itself (status, visibility, ownership)'}`,
        `rename or remove the label "${key}"`);
    }
  }
  const plans = product.plans.length > 0 ? product.plans : [undefined];
  for (const plan of plans) {
    const marker = markerAttributeCount(markerFor(owner, product.protected));
    const state = desiredState(product, plan);
    // access, the ownership marker, and with a catalog item the attribute recording its portal (portal.ts).
    const count = Object.keys(state.attributes).length + 1 + marker + (state.portal ? 1 : 0);
    if (count > MAX_ATTRIBUTES) {
      report('error', 'attribute-count', Object.keys(product.labels).length > 0 ? fieldPath(product, 'labels') : fieldPath(product, 'plans'),
        `${objectKey(product.name, plan)} would carry ${count} attributes; Apigee allows at most ${MAX_ATTRIBUTES} (labels, team, the plan's other limits, access and ${marker} ownership attributes)`,
        `remove ${count - MAX_ATTRIBUTES} label(s), or limits that only become attributes`);
    }
    // The catalog item's title and description default to the product's (per plan: `<displayName> (<plan>)`):
    // the ApiDoc's limits (title at most 255 characters, description 10,000) bind the defaults too.
    const portal = state.portal;
    const portalAt = ['targets', product.target, 'portal'];
    if (portal && portal.title.length > MAX_PORTAL_TITLE) {
      report('error', 'portal-title', portalAt,
        `the catalog item of ${objectKey(product.name, plan)} would be titled with ${portal.title.length} characters; an integrated portal's catalog item title holds at most ${MAX_PORTAL_TITLE}`,
        'write a shorter portal.title (it defaults to the displayName, with " (<plan>)" per plan)');
    }
    if (portal && portal.description.length > MAX_PORTAL_DESCRIPTION) {
      report('error', 'portal-description', portalAt,
        `the catalog item of ${objectKey(product.name, plan)} would have a description of ${portal.description.length} characters; at most ${MAX_PORTAL_DESCRIPTION.toLocaleString('en-US')}`,
        'write a shorter portal.description (it defaults to the product\'s description)');
    }
  }
}

/** ApiDoc: `title` at most 255 characters, `description` at most 10,000 (cloud.google.com …/rest/v1/organizations.sites.apidocs, as src/sandbox/apigee/apidocs.ts). */
const MAX_PORTAL_TITLE = 255;
const MAX_PORTAL_DESCRIPTION = 10_000;
