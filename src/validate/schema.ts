import type { ErrorObject } from 'ajv';
import type { Diagnostic } from '../model/diagnostic.ts';
import type { DocumentLocator } from '../model/positions.ts';
import policiesValidator from './compiled/policies.ts';
import productValidator from './compiled/product.ts';
import targetsValidator from './compiled/targets.ts';
import { explainSchemaErrors } from './schema-messages.ts';

/** The JSON Schemas under `schemas/` of the input files: product files, `apiproducts.yaml` and `policies/*.yaml`. */
export type SchemaName = 'product' | 'targets' | 'policies';

type Validator = ((value: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** Compiled ahead of time (validator-code.ts): loading them costs a few milliseconds, compiling them cost about 90. */
const VALIDATORS: Record<SchemaName, Validator> = {
  product: productValidator as unknown as Validator,
  targets: targetsValidator as unknown as Validator,
  policies: policiesValidator as unknown as Validator,
};

const TARGET_EXAMPLE = 'targets: {sandbox-api7: {provider: api7, sandbox: true}}';
const BINDING_EXAMPLE = 'targets: {sandbox-api7: {type: gateway, services: [...]}}';

/** What to write when the overall shape is wrong, by `schema rule path`. */
const SHAPE_FIXES: Record<string, string> = {
  'product schema/type ': `a product file is a mapping with name: and targets: at the top level (several products: separate them with ---, not with -)`,
  'product schema/type targets': `write one key per target of apiproducts.yaml, e.g. ${BINDING_EXAMPLE}`,
  'product schema/min-properties targets': `bind the product to at least one target of apiproducts.yaml, e.g. ${BINDING_EXAMPLE}`,
  'targets schema/type ': `apiproducts.yaml is a mapping with targets: at the top level, e.g. ${TARGET_EXAMPLE}`,
  'targets schema/required ': `declare where products are published, e.g. ${TARGET_EXAMPLE}`,
  'targets schema/type targets': `write one key per target name, e.g. ${TARGET_EXAMPLE}`,
  'targets schema/min-properties targets': `declare at least one target, e.g. ${TARGET_EXAMPLE}`,
};

export interface SchemaResult {
  valid: boolean;
  diagnostics: Diagnostic[];
  /** Where each problem is, as a path into the document (`[]` for the document itself). */
  paths: string[][];
}

/** Checks one parsed YAML document against a schema; every problem becomes a positioned diagnostic. */
export function validateSchema(schema: SchemaName, value: unknown, locator: DocumentLocator): SchemaResult {
  const validate = VALIDATORS[schema];
  if (validate(value)) return { valid: true, diagnostics: [], paths: [] };
  const problems = explainSchemaErrors(validate.errors ?? []);
  const diagnostics = problems.map((problem): Diagnostic => {
    const source = problem.atKey ? locator.locateKey(problem.path) : locator.locate(problem.path);
    const diagnostic: Diagnostic = { severity: 'error', rule: problem.rule, message: problem.message, source };
    const fix = problem.fix ?? SHAPE_FIXES[`${schema} ${problem.rule} ${problem.path.join('.')}`];
    if (fix) diagnostic.fix = fix;
    return diagnostic;
  });
  return { valid: false, diagnostics, paths: problems.map((problem) => problem.path) };
}
