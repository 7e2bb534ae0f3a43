import { canonicalJson } from '../model/fingerprint.ts';
import type { JsonSchema, VendorSchema } from '../model/vendor-schema.ts';
import { NEUTRAL_PRODUCT_SCHEMA, NEUTRAL_TARGETS_SCHEMA } from './neutral-schemas.ts';

/** One vendor as the schemas describe it. */
export interface SchemaVendor {
  /** The `provider:` value of its targets. */
  kind: string;
  /** What it is, for the `provider` description (e.g. `API7 Enterprise`). */
  title: string;
  schema: VendorSchema;
}

export interface BuiltSchemas {
  product: JsonSchema;
  targets: JsonSchema;
}

/**
 * The JSON Schemas of product files and apiproducts.yaml: the neutral parts plus every vendor's
 * keys. Two vendors may share a key (`tokenEnv`) only with the same schema; anything else is a
 * programming error, thrown so that the schema test fails.
 */
export function buildSchemas(vendors: readonly SchemaVendor[]): BuiltSchemas {
  const product = structuredClone(NEUTRAL_PRODUCT_SCHEMA);
  const targets = structuredClone(NEUTRAL_TARGETS_SCHEMA);
  const binding = propertiesAt(product, 'binding');
  const target = propertiesAt(targets, 'target');
  const provider = target.provider as JsonSchema;
  provider.enum = vendors.map((vendor) => vendor.kind);
  provider.description = `Kind of portal: ${listed(vendors.map((vendor) => `${vendor.kind} (${vendor.title})`))}.`;
  for (const vendor of vendors) {
    merge(binding, vendor.schema.binding, `${vendor.kind} binding`);
    merge(target, vendor.schema.target, `${vendor.kind} target`);
    const credentials = Object.entries(vendor.schema.credentials).map(([key, description]) => [key, { $ref: '#/$defs/envName', description }]);
    merge(target, Object.fromEntries(credentials), `${vendor.kind} credential`);
    if (vendor.schema.requiredTarget?.length) requireForProvider(targets, vendor.kind, vendor.schema.requiredTarget, vendor.schema.target);
  }
  return { product, targets };
}

/**
 * `if provider is <kind> then required: [...]`, on the target definition. The keys' own schemas are
 * repeated in `then` (ajv's strictRequired wants them there) and give the missing-field fix its text.
 */
function requireForProvider(schema: JsonSchema, kind: string, required: string[], keys: Record<string, JsonSchema>): void {
  const target = (schema.$defs as Record<string, JsonSchema>).target!;
  const rules = (target.allOf ??= []) as JsonSchema[];
  const properties = Object.fromEntries(required.map((key) => [key, keys[key] ?? true]));
  rules.push({ if: { properties: { provider: { const: kind } }, required: ['provider'] }, then: { properties, required } });
}

/** `$defs.<name>.properties` of a schema. */
function propertiesAt(schema: JsonSchema, name: string): Record<string, unknown> {
  const defs = schema.$defs as Record<string, JsonSchema>;
  return defs[name]!.properties as Record<string, unknown>;
}

function merge(into: Record<string, unknown>, added: Record<string, JsonSchema>, what: string): void {
  for (const [key, schema] of Object.entries(added)) {
    if (key in into && canonicalJson(into[key]) !== canonicalJson(schema)) {
      throw new Error(`${what} key "${key}" is declared twice with different schemas`);
    }
    into[key] = schema;
  }
}

function listed(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
