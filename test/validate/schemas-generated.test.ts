import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { schemaFiles } from '../../src/schemas.ts';
import { buildSchemas, type SchemaVendor } from '../../src/validate/build-schemas.ts';
import type { SchemaName } from '../../src/validate/schema.ts';
import { SCHEMA_FILES, validatorCode } from '../../src/validate/validator-code.ts';
import { repoRoot } from '../helpers/project.ts';

test('schemas/*.json are what the registered vendors generate (run npm run schemas after changing a vendor schema)', () => {
  for (const [name, text] of Object.entries(schemaFiles())) {
    assert.fixture(readFileSync(join(repoRoot, 'schemas', name), 'utf8'), text, `schemas/${name} is stale`);
  }
});

test('the compiled validators are those of schemas/*.json (run npm run schemas after changing a schema)', () => {
  const files = schemaFiles();
  for (const [name, file] of Object.entries(SCHEMA_FILES) as [SchemaName, string][]) {
    const committed = readFileSync(join(repoRoot, 'src/validate/compiled', `${name}.ts`), 'utf8');
    assert.ok(committed === validatorCode(name, files[file]!), `src/validate/compiled/${name}.ts is stale`);
  }
});

const third: SchemaVendor = {
  kind: 'kong',
  title: 'Kong Konnect',
  schema: {
    target: { region: { enum: ['us', 'eu'] } },
    credentials: { tokenEnv: 'Name of the environment variable holding the API token (e.g. API7_TOKEN); never the token itself.', patEnv: 'Personal access token.' },
    binding: { portalId: { type: 'string' } },
  },
};

test('a vendor adds its provider name, target keys, credential variables and binding keys, and nothing else changes', () => {
  const [before, after] = [buildSchemas([]), buildSchemas([third])];
  const target = (schema: typeof after.targets) => (schema.$defs as any).target.properties;
  assert.equal(target(after.targets).provider.enum, ['kong']);
  assert.equal(target(after.targets).region, { enum: ['us', 'eu'] });
  assert.equal(target(after.targets).patEnv, { $ref: '#/$defs/envName', description: 'Personal access token.' });
  assert.equal((after.product.$defs as any).binding.properties.portalId, { type: 'string' });
  delete target(after.targets).region;
  delete target(after.targets).patEnv;
  delete target(after.targets).tokenEnv;
  delete (after.product.$defs as any).binding.properties.portalId;
  target(after.targets).provider = target(before.targets).provider;
  assert.equal(after, before);
});

test('two vendors may share a key only with the same schema', () => {
  const clash: SchemaVendor = { ...third, kind: 'other', schema: { ...third.schema, binding: { portalId: { type: 'integer' } } } };
  assert.throws(() => buildSchemas([third, clash]), /other binding key "portalId" is declared twice with different schemas/);
  const neutralClash: SchemaVendor = { ...third, schema: { ...third.schema, binding: { status: { type: 'string' } } } };
  assert.throws(() => buildSchemas([neutralClash]), /kong binding key "status" is declared twice/);
});

test.run();
