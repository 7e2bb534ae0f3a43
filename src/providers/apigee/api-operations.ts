/**
 * X GraphQL and gRPC operation groups ↔ the binding's `graphqlOperations:` and `grpcOperations:`
 * (reference "Round 2"). Like `operations:` (operations.ts) they bound a product, and Git lists
 * them flat, one entry per operation:
 *   graphqlOperationGroup.operationConfigs[] {apiSource, operations[] {operationTypes[], operation}}
 *     → {apiSource, operationTypes?, operation?} (a config with no operations: the whole apiSource)
 *   grpcOperationGroup.operationConfigs[] {apiSource, service, methods[]} → {apiSource, service, methods?}
 * "Absent is not default": a key Git does not write is in the desired object's `ignore`, so the
 * live group is kept and not compared; written (even []), it is compared and written. Each
 * config's `quota`, `attributes` and other fields are the portal's, kept as read; an operation
 * new to Git joins the first config of its apiSource (gRPC: a config of its own). Pure: no I/O.
 */
import type { JsonSchema } from '../../model/vendor-schema.ts';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const upperSet = (value: unknown): string[] => (Array.isArray(value) ? [...new Set(value.map((item) => String(item).toUpperCase()))].sort(compare) : []);
const nameSet = (value: unknown): string[] => (Array.isArray(value) ? [...new Set(value.map(String))].sort(compare) : []);

export interface GraphqlOperation { apiSource: string; operationTypes: string[]; operation: string }
export interface GrpcOperation { apiSource: string; service: string; methods: string[] }
export interface ApiOperationsState { graphqlOperations?: GraphqlOperation[]; grpcOperations?: GrpcOperation[] }

export const API_OPERATIONS_SCHEMA: Record<string, JsonSchema> = {
  graphqlOperations: {
    type: 'array',
    description: 'Apigee X: the GraphQL operations the product allows (its graphqlOperationGroup). Not written: the live group is kept.',
    items: {
      type: 'object', additionalProperties: false, required: ['apiSource'],
      properties: {
        apiSource: { type: 'string', minLength: 1, description: 'The API proxy serving the GraphQL schema.' },
        operationTypes: { type: 'array', items: { enum: ['QUERY', 'MUTATION', 'SUBSCRIPTION'] }, description: 'None means every type.' },
        operation: { type: 'string', minLength: 1, description: 'The operation name; none means every operation.' },
      },
    },
  },
  grpcOperations: {
    type: 'array',
    description: 'Apigee X: the gRPC methods the product allows (its grpcOperationGroup). Not written: the live group is kept.',
    items: {
      type: 'object', additionalProperties: false, required: ['apiSource', 'service'],
      properties: {
        apiSource: { type: 'string', minLength: 1, description: 'The API proxy serving the gRPC service.' },
        service: { type: 'string', minLength: 1, description: 'The fully qualified service name, e.g. loyalty.v1.Points.' },
        methods: { $ref: '#/$defs/stringList', description: 'Method names; none means every method of the service.' },
      },
    },
  },
};

const graphqlOf = (apiSource: string, item: Json): GraphqlOperation => ({ apiSource, operationTypes: upperSet(item.operationTypes), operation: typeof item.operation === 'string' ? item.operation : '' });
const grpcOf = (item: Json): GrpcOperation => ({ apiSource: String(item.apiSource ?? ''), service: String(item.service ?? ''), methods: nameSet(item.methods) });
const graphqlKey = (o: GraphqlOperation): string => JSON.stringify([o.apiSource, o.operationTypes, o.operation]);
const grpcKey = (o: GrpcOperation): string => JSON.stringify([o.apiSource, o.service, o.methods]);
const sortedBy = <T>(items: T[], key: (item: T) => string): T[] => [...new Map(items.map((item) => [key(item), item])).entries()].sort(([a], [b]) => compare(a, b)).map(([, item]) => item);
const configsOf = (group: unknown): Json[] => (isObject(group) && Array.isArray(group.operationConfigs) ? group.operationConfigs.filter((c): c is Json => isObject(c) && typeof c.apiSource === 'string') : []);

function liveGraphql(group: unknown): GraphqlOperation[] {
  return sortedBy(configsOf(group).flatMap((config) => {
    const listed = Array.isArray(config.operations) ? config.operations.filter(isObject) : [];
    return listed.length === 0 ? [graphqlOf(config.apiSource as string, {})] : listed.map((item) => graphqlOf(config.apiSource as string, item));
  }), graphqlKey);
}
const liveGrpc = (group: unknown): GrpcOperation[] => sortedBy(configsOf(group).map(grpcOf), grpcKey);

/** Live → state: present only when the product has some. */
export function liveApiOperations(product: Json): ApiOperationsState {
  const graphql = liveGraphql(product.graphqlOperationGroup);
  const grpc = liveGrpc(product.grpcOperationGroup);
  return { ...(graphql.length > 0 ? { graphqlOperations: graphql } : {}), ...(grpc.length > 0 ? { grpcOperations: grpc } : {}) };
}

/** Git → state (what it writes), and the fields it leaves to live (DesiredObject.ignore). */
export function desiredApiOperations(binding: Json): { state: ApiOperationsState; kept: string[] } {
  const state: ApiOperationsState = {};
  const kept: string[] = [];
  if (Array.isArray(binding.graphqlOperations)) {
    const graphql = sortedBy(binding.graphqlOperations.filter(isObject).map((item) => graphqlOf(String(item.apiSource ?? ''), item)), graphqlKey);
    if (graphql.length > 0) state.graphqlOperations = graphql;
  } else kept.push('graphqlOperations');
  if (Array.isArray(binding.grpcOperations)) {
    const grpc = sortedBy(binding.grpcOperations.filter(isObject).map(grpcOf), grpcKey);
    if (grpc.length > 0) state.grpcOperations = grpc;
  } else kept.push('grpcOperations');
  return { state, kept };
}

/** State → binding entries, for `apiproducts import`. */
export function apiOperationEntries(state: ApiOperationsState): Json {
  const graphql = (state.graphqlOperations ?? []).map((o) => ({ apiSource: o.apiSource, ...(o.operationTypes.length > 0 ? { operationTypes: [...o.operationTypes] } : {}), ...(o.operation ? { operation: o.operation } : {}) }));
  const grpc = (state.grpcOperations ?? []).map((o) => ({ apiSource: o.apiSource, service: o.service, ...(o.methods.length > 0 ? { methods: [...o.methods] } : {}) }));
  return { ...(graphql.length > 0 ? { graphqlOperations: graphql } : {}), ...(grpc.length > 0 ? { grpcOperations: grpc } : {}) };
}

/** The GraphQL group to send: the live one as read when nothing changed; none when no operations. */
function mergeGraphql(live: unknown, desired: readonly GraphqlOperation[]): Json | undefined {
  const wanted = new Map(desired.map((o) => [graphqlKey(o), o]));
  if (liveGraphql(live).map(graphqlKey).join('\n') === [...wanted.keys()].sort(compare).join('\n') && configsOf(live).length > 0) return structuredClone(live as Json);
  if (wanted.size === 0) return undefined;
  const group: Json = isObject(live) ? structuredClone(live) : { operationConfigType: 'proxy' };
  const placed = new Set<string>();
  const configs: Json[] = [];
  for (const config of configsOf(group)) {
    const listed = Array.isArray(config.operations) ? config.operations.filter(isObject) : [];
    const keep = (key: string): boolean => wanted.has(key) && !placed.has(key) && (placed.add(key), true);
    if (listed.length === 0) {
      if (keep(graphqlKey(graphqlOf(config.apiSource as string, {})))) configs.push(config);
      continue;
    }
    const kept = listed.filter((item) => keep(graphqlKey(graphqlOf(config.apiSource as string, item))));
    if (kept.length > 0) configs.push({ ...config, operations: kept });
  }
  for (const [key, o] of wanted) {
    if (placed.has(key)) continue;
    const wire = { ...(o.operationTypes.length > 0 ? { operationTypes: [...o.operationTypes] } : {}), ...(o.operation ? { operation: o.operation } : {}) };
    const home = o.operation || o.operationTypes.length > 0 ? configs.find((c) => c.apiSource === o.apiSource && Array.isArray(c.operations) && c.operations.length > 0) : undefined;
    if (home) home.operations = [...(home.operations as Json[]), wire];
    else configs.push(Object.keys(wire).length > 0 ? { apiSource: o.apiSource, operations: [wire] } : { apiSource: o.apiSource });
  }
  group.operationConfigs = configs;
  return group;
}

/**
 * The gRPC group to send: the live one as read when nothing changed; else every live config of a
 * wanted entry as read (two configs of one service and methods may carry their own quota and
 * attributes: both are kept), and a new one per new entry.
 */
function mergeGrpc(live: unknown, desired: readonly GrpcOperation[]): Json | undefined {
  const wanted = new Map(desired.map((o) => [grpcKey(o), o]));
  const liveKeys = [...new Set(liveGrpc(live).map(grpcKey))];
  if (liveKeys.join('\n') === [...wanted.keys()].sort(compare).join('\n') && configsOf(live).length > 0) return structuredClone(live as Json);
  if (wanted.size === 0) return undefined;
  const group: Json = isObject(live) ? structuredClone(live) : { operationConfigType: 'proxy' };
  const placed = new Set<string>();
  const configs = configsOf(group).filter((config) => {
    const key = grpcKey(grpcOf(config));
    if (!wanted.has(key)) return false;
    placed.add(key);
    return true;
  });
  for (const [key, o] of wanted) if (!placed.has(key)) configs.push({ apiSource: o.apiSource, service: o.service, ...(o.methods.length > 0 ? { methods: [...o.methods] } : {}) });
  group.operationConfigs = configs;
  return group;
}

/** Sets (or removes) the two groups on a body from state, merged into the live ones. */
export function applyApiOperationGroups(body: Json, live: Json | undefined, state: ApiOperationsState): void {
  const graphql = mergeGraphql(live?.graphqlOperationGroup, state.graphqlOperations ?? []);
  const grpc = mergeGrpc(live?.grpcOperationGroup, state.grpcOperations ?? []);
  if (graphql) body.graphqlOperationGroup = graphql;
  else delete body.graphqlOperationGroup;
  if (grpc) body.grpcOperationGroup = grpc;
  else delete body.grpcOperationGroup;
}

/** Whether live or state binds the product by GraphQL or gRPC operations. */
export const boundByApiOperations = (product: Json): boolean => configsOf(product.graphqlOperationGroup).length > 0 || configsOf(product.grpcOperationGroup).length > 0;
