/**
 * The `quota` and `attributes` of an X operation config, per operation in Git and in state
 * (issue 14 item 2). Apigee keeps them per config (`operationConfigs[]`), a config covering one
 * apiSource and some operations; Git lists operations one by one, so each operation carries its
 * config's settings, and operations.ts mergeOperationGroup moves an operation whose settings
 * differ from its config's into a copy of that config with its own.
 *
 * State: one TOP-LEVEL field per operation and setting, `operationQuota(<apiSource> <resource>
 * <METHODS>)` and `operationAttributes(…)`, present only when set. Top-level because "absent is
 * not default": a setting Git does not write is in the desired object's `ignore` (as API7's auth
 * options), and the planner addresses fields by dotted path: array items cannot be named, and a
 * nested field would leave an empty parent behind. So `.` in a resource is written `%2E`.
 * Pure: no I/O.
 */
import type { JsonSchema } from '../../model/vendor-schema.ts';
import type { ApigeeOperation } from './operations.ts';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface OperationQuota {
  limit: number;
  interval: number;
  timeUnit: string;
}

/** A config's settings; absent = none. */
export interface OperationSettings {
  quota?: OperationQuota;
  attributes?: Record<string, string>;
}

export const OPERATION_SETTINGS_SCHEMA: Record<string, JsonSchema> = {
  quota: {
    type: 'object',
    additionalProperties: false,
    required: ['limit', 'timeUnit'],
    description: 'Apigee X: the quota of this operation (its operationConfig), counted as quotaCounterScope says. Not written: the live one is kept.',
    properties: {
      limit: { type: 'integer', minimum: 1, description: 'Requests allowed per interval.' },
      interval: { type: 'integer', minimum: 1, description: 'How many time units one interval is (default 1).' },
      timeUnit: { enum: ['minute', 'hour', 'day', 'month'], description: 'The unit the interval counts in.' },
    },
  },
  attributes: {
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Apigee X: custom attributes of this operation (its operationConfig), name: value. Not written: the live ones are kept.',
  },
};

const label = (operation: ApigeeOperation): string =>
  [operation.apiSource, operation.resource, operation.methods.join(',')].filter((part) => part !== '').join(' ').replaceAll('%', '%25').replaceAll('.', '%2E');
export const quotaField = (operation: ApigeeOperation): string => `operationQuota(${label(operation)})`;
export const attributesField = (operation: ApigeeOperation): string => `operationAttributes(${label(operation)})`;

const sortedRecord = (entries: [string, string][]): Record<string, string> | undefined =>
  entries.length === 0 ? undefined : Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** A live config's settings (wire: strings, attribute list). */
export function configSettings(config: Json): OperationSettings {
  const settings: OperationSettings = {};
  const quota = config.quota;
  if (isObject(quota) && quota.limit !== undefined && quota.limit !== '') {
    settings.quota = { limit: Number(quota.limit), interval: Number(quota.interval ?? 1), timeUnit: String(quota.timeUnit ?? '') };
  }
  const listed = Array.isArray(config.attributes) ? config.attributes.filter(isObject) : [];
  const attributes = sortedRecord(listed.map((attribute) => [String(attribute.name), String(attribute.value ?? '')]));
  if (attributes) settings.attributes = attributes;
  return settings;
}

/** The same settings are the same signature (attributes sorted already). */
export const settingsSignature = (settings: OperationSettings): string => JSON.stringify([settings.quota ?? null, settings.attributes ?? null]);
export const hasSettings = (settings: OperationSettings): boolean => settings.quota !== undefined || settings.attributes !== undefined;

/** The config with `settings` in wire form; a setting absent there is removed. */
export function withSettings(config: Json, settings: OperationSettings): Json {
  const { quota: _quota, attributes: _attributes, ...rest } = config;
  const result: Json = { ...rest };
  if (settings.quota) result.quota = { limit: String(settings.quota.limit), interval: String(settings.quota.interval), timeUnit: settings.quota.timeUnit };
  if (settings.attributes) result.attributes = Object.entries(settings.attributes).map(([name, value]) => ({ name, value }));
  return result;
}

/** The state fields of an operation's settings. */
export function settingsFields(operation: ApigeeOperation, settings: OperationSettings): Json {
  return {
    ...(settings.quota ? { [quotaField(operation)]: settings.quota } : {}),
    ...(settings.attributes ? { [attributesField(operation)]: settings.attributes } : {}),
  };
}

/** An operation's settings as state holds them. */
export function stateSettings(state: Json, operation: ApigeeOperation): OperationSettings {
  const quota = state[quotaField(operation)];
  const attributes = state[attributesField(operation)];
  return { ...(isObject(quota) ? { quota: quota as unknown as OperationQuota } : {}), ...(isObject(attributes) ? { attributes: attributes as Record<string, string> } : {}) };
}

/**
 * A Git `operations:` entry's settings (schema-checked), and the fields Git leaves to live. An
 * empty `attributes: {}` is written: it means none.
 */
export function bindingSettings(entry: Json, operation: ApigeeOperation): { settings: OperationSettings; kept: string[] } {
  const settings: OperationSettings = {};
  const kept: string[] = [];
  if (isObject(entry.quota)) {
    settings.quota = { limit: Number(entry.quota.limit), interval: Number(entry.quota.interval ?? 1), timeUnit: String(entry.quota.timeUnit) };
  } else kept.push(quotaField(operation));
  if (isObject(entry.attributes)) {
    const attributes = sortedRecord(Object.entries(entry.attributes).map(([name, value]) => [name, String(value)]));
    if (attributes) settings.attributes = attributes;
  } else kept.push(attributesField(operation));
  return { settings, kept };
}

/** The settings in a Git entry, for `apiproducts import`. */
export function settingsEntry(settings: OperationSettings): Json {
  return {
    ...(settings.quota ? { quota: { limit: settings.quota.limit, interval: settings.quota.interval, timeUnit: settings.quota.timeUnit } } : {}),
    ...(settings.attributes ? { attributes: { ...settings.attributes } } : {}),
  };
}
