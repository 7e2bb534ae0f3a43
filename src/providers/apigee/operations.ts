/**
 * Apigee X operation groups ↔ the binding's `operations:` (reference §2 and "Round 2"): a product
 * made in the X console since 2023 is bound by `operationGroup.operationConfigs[]` (an `apiSource`
 * proxy and its `operations[]` {resource, methods[]}), not by `proxies`/`apiResources`, and is as
 * bounded as one with proxies. Git describes the operations as a flat list, one entry per
 * (apiSource, resource, methods), with its config's `quota` and `attributes` when Git writes them
 * (operation-settings.ts); the rest of a config (any other field) and of the group
 * (`operationConfigType`) is the portal's and is kept as read.
 * `graphqlOperationGroup` and `grpcOperationGroup` are api-operations.ts. Pure: no I/O.
 */
import type { JsonSchema } from '../../model/vendor-schema.ts';
import { configSettings, hasSettings, OPERATION_SETTINGS_SCHEMA, settingsSignature, withSettings, type OperationSettings } from './operation-settings.ts';

/**
 * One operation a product allows; `methods` empty = every verb (reference §2). Sorted methods.
 * `resource` empty: a config with no operations, i.e. the whole apiSource.
 */
export interface ApigeeOperation {
  apiSource: string;
  resource: string;
  methods: string[];
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const OPERATIONS_SCHEMA: JsonSchema = {
  type: 'array',
  description:
    'Apigee X: the operations the product allows (its operationGroup, as the X console writes it): an API proxy (apiSource), a resource path and its methods (none = every method). Bounds the product as proxies do.',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['apiSource'],
    properties: {
      apiSource: { type: 'string', minLength: 1, description: 'The API proxy (or remote service) the operation belongs to.' },
      resource: { type: 'string', minLength: 1, description: 'The resource path, e.g. /points/**; none means every resource of the apiSource.' },
      methods: { $ref: '#/$defs/stringList', description: 'HTTP methods, e.g. [GET, POST]; none means every method.' },
      ...OPERATION_SETTINGS_SCHEMA,
    },
  },
};

/** The identity of an operation: what makes two entries the same one. */
export const operationKey = (operation: ApigeeOperation): string => JSON.stringify([operation.apiSource, operation.resource, operation.methods]);

function normalised(apiSource: string, resource: string, methods: unknown): ApigeeOperation {
  const list = Array.isArray(methods) ? [...new Set(methods.map((method) => String(method).toUpperCase()))].sort(compare) : [];
  return { apiSource, resource, methods: list };
}

/** Sorted and without repeats, so that the same operations are always the same state. */
export function sortedOperations(operations: Iterable<ApigeeOperation>): ApigeeOperation[] {
  const byKey = new Map<string, ApigeeOperation>();
  for (const operation of operations) byKey.set(operationKey(operation), operation);
  return [...byKey.entries()].sort(([a], [b]) => compare(a, b)).map(([, operation]) => operation);
}

/** The operations of a live `operationGroup` (absent or malformed parts: none). */
export function liveOperations(group: unknown): ApigeeOperation[] {
  if (!isObject(group) || !Array.isArray(group.operationConfigs)) return [];
  const operations: ApigeeOperation[] = [];
  for (const config of group.operationConfigs) {
    if (!isObject(config) || typeof config.apiSource !== 'string') continue;
    const listed = Array.isArray(config.operations) ? config.operations : [];
    if (listed.length === 0) operations.push(normalised(config.apiSource, '', []));
    for (const operation of listed) {
      if (isObject(operation) && typeof operation.resource === 'string') operations.push(normalised(config.apiSource, operation.resource, operation.methods));
    }
  }
  return sortedOperations(operations);
}

/** Whether the live group binds the product: at least one config (an apiSource alone bounds it to that proxy). */
export function hasOperationConfigs(group: unknown): boolean {
  return isObject(group) && Array.isArray(group.operationConfigs) && group.operationConfigs.length > 0;
}

/** The binding's `operations:` (schema-checked), as state. */
export function bindingOperations(value: unknown): ApigeeOperation[] {
  if (!Array.isArray(value)) return [];
  return sortedOperations(
    value.filter(isObject).map((entry) => normalised(String(entry.apiSource ?? ''), String(entry.resource ?? ''), entry.methods)),
  );
}

/** The live settings of every operation of a group, by operationKey (its config's). */
export function liveOperationSettings(group: unknown): Map<string, { operation: ApigeeOperation; settings: OperationSettings }> {
  const found = new Map<string, { operation: ApigeeOperation; settings: OperationSettings }>();
  if (!isObject(group) || !Array.isArray(group.operationConfigs)) return found;
  for (const config of group.operationConfigs) {
    if (!isObject(config) || typeof config.apiSource !== 'string') continue;
    const settings = configSettings(config);
    const listed = Array.isArray(config.operations) ? config.operations : [];
    const operations = listed.length === 0 ? [normalised(config.apiSource, '', [])]
      : listed.filter((operation): operation is Json => isObject(operation) && typeof operation.resource === 'string').map((operation) => normalised(config.apiSource as string, operation.resource as string, operation.methods));
    for (const operation of operations) if (!found.has(operationKey(operation))) found.set(operationKey(operation), { operation, settings });
  }
  return found;
}

/** The binding's entries with their operation, for their settings (operation-settings.ts). */
export function bindingEntries(value: unknown): { operation: ApigeeOperation; entry: Json }[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).map((entry) => ({ operation: normalised(String(entry.apiSource ?? ''), String(entry.resource ?? ''), entry.methods), entry }));
}

/** The binding entry of an operation, for `apiproducts import`: methods only when some are named. */
export function operationEntry(operation: ApigeeOperation): Record<string, unknown> {
  return { apiSource: operation.apiSource, ...(operation.resource !== '' ? { resource: operation.resource } : {}), ...(operation.methods.length > 0 ? { methods: [...operation.methods] } : {}) };
}

const wireOperation = (operation: ApigeeOperation): Json => ({ resource: operation.resource, ...(operation.methods.length > 0 ? { methods: [...operation.methods] } : {}) });

/**
 * The `operationGroup` to send for `desired`, starting from the live one. The same operations:
 * the live group exactly as read. Otherwise every live config keeps its fields (quota, attributes,
 * …) and the operations still desired, in their order; a config whose operations are all gone is
 * dropped; an operation new to Git joins the first config of its apiSource, else a new config.
 * No desired operations: undefined (the group is removed; index.ts refuses that when it would
 * leave the product unbounded).
 * `settingsOf` (state's quota/attributes of an operation): a config's settings cover all its
 * operations, so kept operations whose settings differ from their config's go to a copy of it with
 * theirs; a new operation with none joins its apiSource's first live config (Git left them to
 * live), one with some a config that has the same, else a new config. Without it, configs keep theirs.
 */
export function mergeOperationGroup(live: unknown, desired: readonly ApigeeOperation[], settingsOf?: (operation: ApigeeOperation) => OperationSettings): Json | undefined {
  const wanted = new Map(desired.map((operation) => [operationKey(operation), operation]));
  const settled = settingsOf === undefined || [...liveOperationSettings(live).values()].every(({ operation, settings }) => settingsSignature(settings) === settingsSignature(settingsOf(operation)));
  if (liveOperations(live).map(operationKey).join('\n') === [...wanted.keys()].sort(compare).join('\n') && hasOperationConfigs(live) && settled) {
    return structuredClone(live as Json);
  }
  if (desired.length === 0) return undefined;
  const group: Json = isObject(live) ? structuredClone(live) : { operationConfigType: 'proxy' };
  const placed = new Set<string>();
  const configs: Json[] = [];
  const fresh = new Set<Json>();
  for (const config of (Array.isArray(group.operationConfigs) ? group.operationConfigs : []) as unknown[]) {
    if (!isObject(config) || typeof config.apiSource !== 'string') continue;
    const apiSource = config.apiSource;
    const listed: unknown[] = Array.isArray(config.operations) ? config.operations : [];
    const own = settingsSignature(configSettings(config));
    const whole = normalised(apiSource, '', []);
    if (listed.length === 0) {
      if (wanted.has(operationKey(whole)) && !placed.has(operationKey(whole))) {
        placed.add(operationKey(whole));
        configs.push(settingsOf ? withSettings(config, settingsOf(whole)) : config);
      }
      continue;
    }
    // Kept operations by the settings they must have; the config's own first, as read.
    const groups = new Map<string, { settings?: OperationSettings; operations: unknown[] }>([[own, { operations: [] }]]);
    for (const operation of listed) {
      if (!isObject(operation) || typeof operation.resource !== 'string') continue;
      const parsed = normalised(apiSource, operation.resource, operation.methods);
      const key = operationKey(parsed);
      if (!wanted.has(key) || placed.has(key)) continue;
      placed.add(key);
      const settings = settingsOf?.(parsed);
      const signature = settings ? settingsSignature(settings) : own;
      if (!groups.has(signature)) groups.set(signature, { settings, operations: [] });
      groups.get(signature)!.operations.push(operation);
    }
    for (const [signature, group] of groups) {
      if (group.operations.length === 0) continue;
      if (signature === own || !group.settings) configs.push({ ...config, operations: group.operations });
      else configs.push(withSettings({ ...config, operations: group.operations }, group.settings));
    }
  }
  for (const [key, operation] of wanted) {
    if (placed.has(key)) continue;
    const settings = settingsOf?.(operation) ?? {};
    if (operation.resource === '') {
      configs.push(withSettings({ apiSource: operation.apiSource }, settings));
      continue;
    }
    // Settings Git leaves to live may take a live config's; a config made here has exactly Git's.
    const fits = (config: Json): boolean => (!hasSettings(settings) && !fresh.has(config)) || settingsSignature(configSettings(config)) === settingsSignature(settings);
    const home = configs.find((config) => config.apiSource === operation.apiSource && Array.isArray(config.operations) && config.operations.length > 0 && fits(config));
    if (home) home.operations = [...(home.operations as Json[]), wireOperation(operation)];
    else {
      const made = withSettings({ apiSource: operation.apiSource, operations: [wireOperation(operation)] }, settings);
      fresh.add(made);
      configs.push(made);
    }
  }
  group.operationConfigs = configs;
  return group;
}
