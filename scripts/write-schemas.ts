/**
 * `npm run schemas`: regenerates schemas/*.json (src/schemas.ts: the input schemas of the registered
 * vendors and the output schemas), then the input schemas' compiled validators
 * (src/validate/compiled/, src/validate/validator-code.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaFiles } from '../src/schemas.ts';
import { SCHEMA_FILES, validatorCode } from '../src/validate/validator-code.ts';
import type { SchemaName } from '../src/validate/schema.ts';

const root = join(import.meta.dirname, '..');
const files = schemaFiles();
for (const [name, text] of Object.entries(files)) {
  writeFileSync(join(root, 'schemas', name), text);
  process.stdout.write(`wrote schemas/${name}\n`);
}
for (const [name, file] of Object.entries(SCHEMA_FILES) as [SchemaName, string][]) {
  writeFileSync(join(root, 'src/validate/compiled', `${name}.ts`), validatorCode(name, files[file]!));
  process.stdout.write(`wrote src/validate/compiled/${name}.ts\n`);
}
