/** `npm run schemas`: regenerates schemas/*.json (src/schemas.ts: the input schemas of the registered vendors and the output schemas). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaFiles } from '../src/schemas.ts';

const dir = join(import.meta.dirname, '..', 'schemas');
for (const [name, text] of Object.entries(schemaFiles())) {
  writeFileSync(join(dir, name), text);
  process.stdout.write(`wrote schemas/${name}\n`);
}
