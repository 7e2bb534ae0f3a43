import type { JsonSchema } from '../../model/vendor-schema.ts';

/**
 * The JSON Schema of the policy catalogue: `policies:` in apiproducts.yaml and each
 * `policies/*.yaml` file share it. One key per rule of the fixed catalogue (docs/policies.md); an
 * unknown rule id, a missing severity or an exemption without a reason is a schema error, so it is
 * reported at its line like every other schema problem.
 */
const common = (description: string, options: Record<string, JsonSchema> = {}, required: string[] = []): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  required: ['severity', ...required],
  description,
  properties: {
    severity: { $ref: '#/$defs/policySeverity' },
    exempt: { $ref: '#/$defs/policyExemptions' },
    ...options,
  },
});

const targetList = (description: string): JsonSchema => ({
  type: 'array',
  minItems: 1,
  uniqueItems: true,
  items: { type: 'string', minLength: 1, description: 'A target name of apiproducts.yaml.' },
  description,
});

/** `$defs` entries, merged into the targets schema and into schemas/policies.schema.json. */
export const POLICY_SCHEMA_DEFS: Record<string, JsonSchema> = {
  policies: {
    type: 'object',
    additionalProperties: false,
    description: 'Policy rules checked by validate and shown in plan: one key per rule to switch on (see docs/policies.md).',
    properties: {
      'public-requires-auth': common('A product whose visibility is public declares at least one auth method.', {
        targets: targetList('Check only these targets (default: every target the product binds).'),
      }),
      'require-team': common('Every product names its owner: the team field, or the label named by label.', {
        label: {
          type: 'string',
          pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$',
          description: 'The label that must be set (default team, which the team field also satisfies).',
        },
      }),
      'approval-in-production': common('On production targets, subscriptions need approval: access is approval (the default) or restricted, never auto.', {
        targets: targetList('The targets that count as production.'),
      }, ['targets']),
      'name-pattern': common('Product names match a regular expression.', {
        pattern: {
          type: 'string',
          minLength: 1,
          maxLength: 256,
          description: 'A JavaScript regular expression (unicode mode), e.g. ^[a-z]+(-[a-z]+)*$; one that can backtrack catastrophically is refused.',
        },
      }, ['pattern']),
      'forbid-unbounded': common('These targets refuse a binding with unbounded: true (a product that grants access to every API there).', {
        targets: targetList('The targets that forbid unbounded products.'),
      }, ['targets']),
    },
  },
  policySeverity: {
    enum: ['error', 'warning'],
    description: 'error: validate and plan fail; warning: shown, and the run goes on.',
  },
  policyExemptions: {
    type: 'array',
    description: 'Products this rule does not apply to, each with the reason.',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['product', 'reason'],
      description: 'One exempted product.',
      properties: {
        product: { type: 'string', minLength: 1, description: 'The product name (name: in its file).' },
        reason: { type: 'string', pattern: '\\S', description: 'Why the rule does not apply: who agreed, until when.' },
      },
    },
  },
};

/** schemas/policies.schema.json: the schema of one `policies/*.yaml` file. */
export function policyFileSchema(): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://apiproducts.dev/schemas/policies.schema.json',
    title: 'apiproducts policies (policies/*.yaml)',
    description: 'Policy rules, as under policies: in apiproducts.yaml: one key per rule to switch on. See docs/policies.md.',
    $ref: '#/$defs/policies',
    $defs: structuredClone(POLICY_SCHEMA_DEFS),
  };
}
