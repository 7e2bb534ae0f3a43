/**
 * `schemas/*.json`: the input schemas as the registered vendors make them (the neutral schemas plus
 * each vendor's keys) and the output schemas of plan, apply and drift JSON. `npm run schemas`
 * writes them; a test fails when the committed files differ.
 */
import { VENDORS } from './registry.ts';
import { outputSchemas } from './render/output-schemas.ts';
import { buildSchemas } from './validate/build-schemas.ts';
import { policyFileSchema } from './validate/policies/policy-schema.ts';

/** File name under schemas/ → its exact text. */
export function schemaFiles(): Record<string, string> {
  const built = buildSchemas(VENDORS.map(({ kind }) => ({ kind: kind.kind, title: kind.title, schema: kind.schema })));
  return {
    'product.schema.json': JSON.stringify(built.product, null, 2) + '\n',
    'targets.schema.json': JSON.stringify(built.targets, null, 2) + '\n',
    'policies.schema.json': JSON.stringify(policyFileSchema(), null, 2) + '\n',
    ...Object.fromEntries(Object.entries(outputSchemas()).map(([name, schema]) => [name, JSON.stringify(schema, null, 2) + '\n'])),
  };
}
