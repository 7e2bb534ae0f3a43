import { CODES, invalid } from './http.ts';
import type { ApigeeAttribute, ApigeeFlavour, ApigeeProductFields, ApigeeState } from './state.ts';
import { EDGE_ONLY_FIELDS, X_ONLY_FIELDS } from './view.ts';

const COMMON_FIELDS = [
  'name',
  'displayName',
  'description',
  'approvalType',
  'attributes',
  'apiResources',
  'environments',
  'proxies',
  'scopes',
  'quota',
  'quotaInterval',
  'quotaTimeUnit',
] as const;
/** Returned by the server; accepted in a body (clients echo what they read, reference §10) but never applied. */
const READ_ONLY_FIELDS = ['createdAt', 'lastModifiedAt'];

/** Reference §2: `A-Z0-9._\-$ %`, space and `%` included; case-insensitive [I, §11]. */
const NAME_PATTERN = /^[A-Za-z0-9._\-$ %]+$/;
const APPROVAL_TYPES = ['auto', 'manual'];
const QUOTA_TIME_UNITS = ['minute', 'hour', 'day', 'month'];
/** Reference "Round 2": PROXY | OPERATION | PRODUCT. */
const QUOTA_COUNTER_SCOPES = ['QUOTA_COUNTER_SCOPE_UNSPECIFIED', 'PROXY', 'OPERATION', 'PRODUCT'];
const OPERATION_CONFIG_TYPES = ['proxy', 'remoteservice'];
/** Reference §2: "max 18" on Edge public cloud and X. */
export const MAX_ATTRIBUTES = 18;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value of an optional field; JSON `null` counts as absent, as in proto3 JSON. */
function optional(body: Json, field: string): unknown {
  return body[field] === null ? undefined : body[field];
}

function optionalString(body: Json, field: string): string | undefined {
  const value = optional(body, field);
  if (value !== undefined && typeof value !== 'string') throw invalid(`${field} must be a string`);
  return value;
}

function stringList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw invalid(`${field} must be an array of strings`);
  }
  return value;
}

/** `[{name, value}]` with unique names, at most 18 (reference §2). */
export function parseAttributes(value: unknown, field = 'attributes'): ApigeeAttribute[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(`${field} must be an array of {name, value}`);
  const seen = new Set<string>();
  const attributes = value.map((attribute: unknown, index) => {
    if (!isObject(attribute) || typeof attribute.name !== 'string' || attribute.name === '') {
      throw invalid(`${field}[${index}].name is required`);
    }
    const extra = Object.keys(attribute).find((key) => key !== 'name' && key !== 'value');
    if (extra !== undefined) throw invalid(`${field}[${index}] has an unknown field "${extra}"`);
    const attributeValue = attribute.value ?? '';
    if (typeof attributeValue !== 'string') throw invalid(`${field}[${index}].value must be a string`);
    if (seen.has(attribute.name)) throw invalid(`${field} names attribute "${attribute.name}" twice`);
    seen.add(attribute.name);
    return { name: attribute.name, value: attributeValue };
  });
  if (attributes.length > MAX_ATTRIBUTES) {
    throw invalid(`an API product has at most ${MAX_ATTRIBUTES} attributes, got ${attributes.length}`);
  }
  return attributes;
}

/**
 * Reference §7: a path under the proxy base path: `/`, `/**`, `/*`, literals, `*` as a whole
 * segment anywhere and `**` as the last one only. The stricter segment rules are the emulator's [I].
 */
function checkApiResource(resource: string): void {
  const segments = resource.split('/').slice(1);
  const wellFormed =
    resource.startsWith('/') &&
    !/[\s?#]/.test(resource) &&
    segments.every((segment, index) => (segment === '**' ? index === segments.length - 1 : segment === '*' || !segment.includes('*')));
  if (!wellFormed) {
    throw invalid(`apiResources: "${resource}" is not a resource path (e.g. "/", "/**", "/orders/*", "/orders")`);
  }
}

/** Quota values are strings of digits; JSON integers are accepted and stored as strings. */
function quotaValue(body: Json, field: string): string | undefined {
  const value = optional(body, field);
  if (value === undefined) return undefined;
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !/^[0-9]+$/.test(text)) throw invalid(`${field} must be a whole number, got ${JSON.stringify(value)}`);
  return text;
}

function oneOf(body: Json, field: string, allowed: readonly string[]): string | undefined {
  const value = optional(body, field);
  if (value !== undefined && (typeof value !== 'string' || !allowed.includes(value))) {
    throw invalid(`${field} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as string | undefined;
}

function optionalObject(body: Json, field: string): Json | undefined {
  const value = optional(body, field);
  if (value !== undefined && !isObject(value)) throw invalid(`${field} must be an object`);
  return value as Json | undefined;
}

/** X `operationGroup` (reference §2): required apiSource per config, required resource per operation. */
function checkOperationGroup(group: Json): void {
  oneOf(group, 'operationConfigType', OPERATION_CONFIG_TYPES);
  const configs = optional(group, 'operationConfigs') ?? [];
  if (!Array.isArray(configs)) throw invalid('operationGroup.operationConfigs must be an array');
  configs.forEach((config: unknown, index) => {
    const where = `operationGroup.operationConfigs[${index}]`;
    if (!isObject(config) || typeof config.apiSource !== 'string' || config.apiSource === '') {
      throw invalid(`${where}.apiSource is required`);
    }
    const operations = optional(config, 'operations') ?? [];
    if (!Array.isArray(operations)) throw invalid(`${where}.operations must be an array`);
    operations.forEach((operation: unknown, at) => {
      if (!isObject(operation) || typeof operation.resource !== 'string' || operation.resource === '') {
        throw invalid(`${where}.operations[${at}].resource is required`);
      }
      stringList(operation.methods, `${where}.operations[${at}].methods`);
    });
    parseAttributes(config.attributes, `${where}.attributes`);
  });
}

/** Fields the body omitted must be absent from the stored product, not present as undefined. */
function withoutAbsentFields<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/**
 * The writable fields of a POST (`pathName` absent) or PUT body, checked for shape. Edge refuses
 * unknown fields (the emulator's choice), X-only fields included. X refuses the Edge-only fields
 * (Google's strict JSON parsing: createdBy is no X field) but KEEPS any other field it does not
 * model, stored and returned as sent: the X resource keeps growing (reference "Round 2": `llm*`,
 * spaces), and a real server knows fields this emulator does not, which a client must send back.
 */
export function parseProductBody(body: Json, flavour: ApigeeFlavour, pathName?: string): ApigeeProductFields {
  const known = new Set<string>([
    ...COMMON_FIELDS,
    ...READ_ONLY_FIELDS,
    ...(flavour === 'edge' ? EDGE_ONLY_FIELDS : X_ONLY_FIELDS),
  ]);
  const unknownFields = Object.keys(body).filter((field) => !known.has(field));
  const refused = flavour === 'edge' ? unknownFields[0] : unknownFields.find((field) => (EDGE_ONLY_FIELDS as readonly string[]).includes(field));
  if (refused !== undefined) {
    throw invalid(flavour === 'x' ? `Invalid JSON payload received. Unknown name "${refused}": Cannot find field.` : `unknown field "${refused}"`);
  }
  // PUT: the name comes from the path and cannot change (reference §4).
  const name = pathName !== undefined && optional(body, 'name') === undefined ? pathName : body.name;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw invalid(`API Product name ${JSON.stringify(name ?? '')} is invalid: use letters, digits, space and . _ - $ %`, CODES.nameInvalid);
  }
  if (pathName !== undefined && name !== pathName) throw invalid(`API Product name cannot be changed (${pathName} → ${name})`);
  const displayName = body.displayName;
  if (typeof displayName !== 'string' || displayName.trim() === '') {
    throw invalid('displayName is required', CODES.displayNameInvalid);
  }
  const approvalType = oneOf(body, 'approvalType', APPROVAL_TYPES) as 'auto' | 'manual' | undefined;
  // Edge's APIProductRequest requires it (reference §2); X documents no requirement.
  if (flavour === 'edge' && approvalType === undefined) throw invalid('approvalType is required (auto or manual)');

  const fields: ApigeeProductFields = {
    name,
    displayName,
    description: optionalString(body, 'description'),
    approvalType,
    attributes: parseAttributes(optional(body, 'attributes')),
    apiResources: stringList(body.apiResources, 'apiResources'),
    environments: stringList(body.environments, 'environments'),
    proxies: stringList(body.proxies, 'proxies'),
    scopes: stringList(body.scopes, 'scopes'),
    quota: quotaValue(body, 'quota'),
    quotaInterval: quotaValue(body, 'quotaInterval'),
    quotaTimeUnit: oneOf(body, 'quotaTimeUnit', QUOTA_TIME_UNITS),
  };
  fields.apiResources.forEach(checkApiResource);
  const quotaSet = [fields.quota, fields.quotaInterval, fields.quotaTimeUnit].filter((value) => value !== undefined).length;
  if (quotaSet !== 0 && quotaSet !== 3) throw invalid('quota, quotaInterval and quotaTimeUnit must be set together');
  if (flavour === 'x') Object.assign(fields, parseXOnlyFields(body, fields));
  const unmodelled = unknownFields.filter((field) => body[field] !== null && body[field] !== undefined);
  if (flavour === 'x' && unmodelled.length > 0) {
    fields.unmodelled = Object.fromEntries(unmodelled.map((field) => [field, structuredClone(body[field])]));
  }
  return withoutAbsentFields(fields);
}

function parseXOnlyFields(body: Json, fields: ApigeeProductFields): Partial<ApigeeProductFields> {
  const operationGroup = optionalObject(body, 'operationGroup');
  if (operationGroup) checkOperationGroup(operationGroup);
  // Reference §4: "apiResources together with operationGroup fails".
  if (operationGroup && fields.apiResources.length > 0) {
    throw invalid('apiResources cannot be combined with operationGroup; move the paths into operationGroup');
  }
  return {
    operationGroup,
    graphqlOperationGroup: optionalObject(body, 'graphqlOperationGroup'),
    grpcOperationGroup: optionalObject(body, 'grpcOperationGroup'),
    llmOperationGroup: optionalObject(body, 'llmOperationGroup'),
    quotaCounterScope: oneOf(body, 'quotaCounterScope', QUOTA_COUNTER_SCOPES),
    space: optionalString(body, 'space'),
    llmQuota: quotaValue(body, 'llmQuota'),
    llmQuotaInterval: quotaValue(body, 'llmQuotaInterval'),
    llmQuotaTimeUnit: oneOf(body, 'llmQuotaTimeUnit', QUOTA_TIME_UNITS),
  };
}

/** Proxies must already exist (reference §2); environments too (the emulator's reading, [I]). */
export function checkReferences(state: ApigeeState, fields: ApigeeProductFields): void {
  const unknownProxy = fields.proxies.find((proxy) => !state.proxies.includes(proxy));
  if (unknownProxy !== undefined) throw invalid(`API proxy [${unknownProxy}] does not exist in the organization`);
  const unknownEnvironment = fields.environments.find((environment) => !state.environments.includes(environment));
  if (unknownEnvironment !== undefined) throw invalid(`environment [${unknownEnvironment}] does not exist in the organization`);
}
