import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Diagnostic } from '../model/diagnostic.ts';
import type { DocumentLocator } from '../model/positions.ts';
import { explainSchemaErrors } from './schema-messages.ts';

/** The JSON Schemas under `schemas/` of the input files: product files, `apiproducts.yaml` and `policies/*.yaml`. */
export type SchemaName = 'product' | 'targets' | 'policies';

const SCHEMA_FILES: Record<SchemaName, string> = {
  product: 'product.schema.json',
  targets: 'targets.schema.json',
  policies: 'policies.schema.json',
};

let ajv: Ajv2020 | undefined;
const validators = new Map<SchemaName, ValidateFunction>();

/**
 * Compiled once per process: compiling costs milliseconds, validating 10,000 products must not
 * pay it 10,000 times. Each schema when first used: apiproducts.yaml is checked, and the targets'
 * lists requested (read-while-loading.ts), before the product schema is compiled.
 */
function validatorFor(name: SchemaName): ValidateFunction {
  const known = validators.get(name);
  if (known) return known;
  ajv ??= createAjv();
  const compiled = ajv.compile(JSON.parse(readFileSync(`${schemasDir()}/${SCHEMA_FILES[name]}`, 'utf8')) as object);
  validators.set(name, compiled);
  return compiled;
}

function createAjv(): Ajv2020 {
  // verbose: errors carry the failing value and schema, used to explain them (never to echo values).
  // validateSchema: false: the schemas ship with the tool and are checked against the JSON Schema
  // meta-schema by the tests (test/validate/schema.test.ts); checking them again on every run
  // cost half the compile of the targets schema, paid before the first request leaves.
  const created = new Ajv2020({ allErrors: true, strict: true, verbose: true, validateSchema: false });
  // ajv-formats is not a dependency; `uri` is the only format the schemas use. Editors still see it.
  // Written so that it cannot backtrack: a 1 MiB value is checked in linear time.
  created.addFormat('uri', /^[a-z][a-z0-9+.-]*:\/\/[^\s/?#][^\s]*$/i);
  return created;
}

/**
 * `schemas/` sits at the package root: two levels above this file when run from source with tsx,
 * three when compiled to `dist/src/validate/`.
 */
function schemasDir(): string {
  const candidates = ['../../schemas', '../../../schemas'].map((relative) => fileURLToPath(new URL(relative, import.meta.url)));
  const found = candidates.find((dir) => existsSync(`${dir}/${SCHEMA_FILES.product}`));
  if (!found) throw new Error(`apiproducts is installed incompletely: schemas/ not found (looked in ${candidates.join(', ')})`);
  return found;
}

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
  const validate = validatorFor(schema);
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
