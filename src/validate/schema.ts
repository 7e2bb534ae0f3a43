import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Diagnostic } from '../model/diagnostic.ts';
import type { DocumentLocator } from '../load/positions.ts';
import { explainSchemaErrors } from './schema-messages.ts';

/** The two JSON Schemas under `schemas/`: product files and `apiproducts.yaml`. */
export type SchemaName = 'product' | 'targets';

const SCHEMA_FILES: Record<SchemaName, string> = {
  product: 'product.schema.json',
  targets: 'targets.schema.json',
};

let validators: Record<SchemaName, ValidateFunction> | undefined;

/**
 * Compiled once per process: compiling costs milliseconds, validating 10,000 products must not
 * pay it 10,000 times.
 */
function getValidators(): Record<SchemaName, ValidateFunction> {
  if (validators) return validators;
  // verbose: errors carry the failing value and schema, used to explain them (never to echo values).
  const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true });
  // ajv-formats is not a dependency; `uri` is the only format the schemas use. Editors still see it.
  ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:\/\/[^\s/?#]+[^\s]*$/i);
  const dir = schemasDir();
  const compile = (name: SchemaName): ValidateFunction =>
    ajv.compile(JSON.parse(readFileSync(`${dir}/${SCHEMA_FILES[name]}`, 'utf8')) as object);
  validators = { product: compile('product'), targets: compile('targets') };
  return validators;
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

export interface SchemaResult {
  valid: boolean;
  diagnostics: Diagnostic[];
}

/** Checks one parsed YAML document against a schema; every problem becomes a positioned diagnostic. */
export function validateSchema(schema: SchemaName, value: unknown, locator: DocumentLocator): SchemaResult {
  const validate = getValidators()[schema];
  if (validate(value)) return { valid: true, diagnostics: [] };
  const diagnostics = explainSchemaErrors(validate.errors ?? []).map((problem): Diagnostic => {
    const source = problem.atKey ? locator.locateKey(problem.path) : locator.locate(problem.path);
    const diagnostic: Diagnostic = { severity: 'error', rule: problem.rule, message: problem.message, source };
    if (problem.fix) diagnostic.fix = problem.fix;
    return diagnostic;
  });
  return { valid: false, diagnostics };
}
