/**
 * API7 live object → product document, for `apiproducts import`: the reverse of mapping.ts's
 * desired state, so that the document, loaded and planned against the object it came from, shows
 * no changes (an unowned object shows only its adoption).
 *
 *   key                       → name (for an unowned product: the slug of its display name)
 *   displayName, description  → the same (an empty description is left out)
 *   status, visibility        → the same
 *   access                    → auto | approval (gateway products only; restricted reads back as approval)
 *   labels                    → labels, except `team` → team
 *   auth                      → key-auth, basic-auth (with their options where not the defaults),
 *                               {oauth: {dcrProvider}} (gateway products only)
 *   services                  → binding {type: gateway, services: [{gatewayGroup, service, hosts?}]}
 *   openapi, serverUrls       → binding {type: external, openapi: ./specs/<name>.yaml, serverUrls};
 *                               the spec text is written, byte for byte, to specs/<name>.yaml
 *                               (.json when the text is JSON)
 *   not owned                 → binding adopt: true
 *   another owner's           → binding adoptFrom: <that owner> (import --adopt-from)
 * Pure: no I/O; the caller writes `files`.
 */
import type { AuthMethod, Binding, ProductSpec } from '../../model/product.ts';
import type { TargetConfig } from '../../model/target.ts';
import type { ImportedProduct, LiveObject } from '../../model/objects.ts';
import { OAUTH_PREFIX, type Api7State, type ServiceLink } from './mapping.ts';
import { gitAuthItem, type AuthOptionsState } from './auth-options.ts';

/** Names the directory could not resolve are kept by mapping.ts as `#<id>`. */
const UNRESOLVED = '#';

/** Options that differ from the server defaults are written, so that the next plan is empty. */
function authFromState(auth: readonly string[], options: AuthOptionsState, warn: (message: string) => void): AuthMethod[] {
  return auth.map((method): AuthMethod => {
    if (method === 'key-auth' || method === 'basic-auth') return gitAuthItem(method, options);
    if (method.startsWith(OAUTH_PREFIX)) {
      const dcrProvider = method.slice(OAUTH_PREFIX.length);
      if (dcrProvider.startsWith(UNRESOLVED)) {
        warn(`its DCR provider ${dcrProvider.slice(1)} is not listed by the target; name an existing provider in auth`);
      }
      return { oauth: { dcrProvider } };
    }
    warn(`auth method "${method}" is not one apiproducts knows; remove it from auth`);
    return method as AuthMethod;
  });
}

function servicesFromState(links: readonly ServiceLink[], warn: (message: string) => void): Record<string, unknown>[] {
  if (links.length === 0) warn('it links no gateway service; validate requires at least one under services');
  return links.map((link) => {
    if (link.gatewayGroup.startsWith(UNRESOLVED) || link.service.startsWith(UNRESOLVED)) {
      warn(`it links service ${link.service} of gateway group ${link.gatewayGroup}, which the target does not list; fix the link under services`);
    }
    return {
      gatewayGroup: link.gatewayGroup,
      service: link.service,
      ...(link.hosts.length > 0 ? { hosts: [...link.hosts] } : {}),
    };
  });
}

/** `specs/<name>.json` when the document is JSON, else `.yaml`: either way the text is kept exactly. */
function specFileName(name: string, text: string): string {
  return `specs/${name}.${text.trimStart().startsWith('{') ? 'json' : 'yaml'}`;
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function importApi7Object(live: LiveObject, target: TargetConfig): ImportedProduct {
  const state = live.state as unknown as Api7State;
  const name = live.key;
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
  };
  const files: Record<string, string> = {};
  const { team, ...labels } = state.labels;

  const spec: ProductSpec = { name, displayName: state.displayName } as ProductSpec;
  if (state.description !== '') spec.description = state.description;
  spec.status = live.status;
  spec.visibility = state.visibility;
  if (state.type === 'gateway') spec.access = state.access;
  // An empty team label stays a label: `team` must be a non-empty name.
  if (team) spec.team = team;
  const otherLabels = team === '' ? { ...labels, team } : labels;
  if (Object.keys(otherLabels).length > 0) spec.labels = sortedRecord(otherLabels);

  let binding: Binding;
  if (state.type === 'external') {
    const text = live.attachments?.openapi ?? '';
    if (text === '') warn('the target returned no OpenAPI document for it; put the document in the openapi file');
    if (state.serverUrls.length === 0) warn('it has no server URLs; validate requires at least one under serverUrls');
    const file = specFileName(name, text);
    files[file] = text;
    binding = { type: 'external', openapi: `./${file}`, serverUrls: [...state.serverUrls] };
  } else {
    if (state.auth.length > 0) spec.auth = authFromState(state.auth, state, warn);
    binding = { type: 'gateway', services: servicesFromState(state.services, warn) };
  }
  // Protection recorded on the portal comes back into Git: otherwise the first apply would lift it.
  if (live.protected) spec.protected = true;
  if (live.managedBy !== undefined) binding.adoptFrom = live.managedBy;
  else if (!live.owned) binding.adopt = true;
  spec.targets = { [target.name]: binding };
  return { spec, files, warnings, keys: [live.key] };
}
