import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { desiredObjects } from '../../src/commands/desired-objects.ts';
import { loadProject } from '../../src/load/load-project.ts';
import { getProviderKind } from '../../src/registry.ts';
import { validateProject } from '../../src/validate/validate-project.ts';
import { tempProject } from './temp-project.ts';

const SPEC = 'openapi: 3.0.3\ninfo: {title: Weather, version: "1"}\npaths: {}\n';
const product = (name: string): string =>
  `name: ${name}\nstatus: published\nvisibility: public\ntargets:\n  sb:\n    type: external\n    openapi: ./specs/weather.yaml\n    serverUrls: [https://api.example.com]\n`;

test('a referenced OpenAPI file is read once by the loader; validation and desired objects use that reading', () => {
  const cwd = tempProject({
    'apiproducts.yaml': 'targets:\n  sb: {provider: api7, sandbox: true}\n',
    'products/a.yaml': product('a'),
    'products/b.yaml': product('b'),
    'products/specs/weather.yaml': SPEC,
  });
  const loaded = loadProject({ cwd });
  const [a, b] = loaded.products;
  // Two products, one file: one reading, shared.
  assert.is(a?.referenced?.['./specs/weather.yaml'], b?.referenced?.['./specs/weather.yaml']);
  assert.equal(a?.referenced?.['./specs/weather.yaml'], { status: 'read', text: SPEC, value: { openapi: '3.0.3', info: { title: 'Weather', version: '1' }, paths: {} } });
  // Nothing after the loader reads the disk: a file changed (or gone bad) since does not count.
  writeFileSync(join(cwd, 'products/specs/weather.yaml'), 'openapi: [broken');
  const validated = validateProject(loaded, getProviderKind, cwd);
  assert.equal(validated.diagnostics, []);
  const objects = desiredObjects(validated.products, validated.config!.targets[0]!, getProviderKind('api7')!);
  assert.equal(objects.map((o) => o.attachments), [{ openapi: SPEC }, { openapi: SPEC }]);
});

test('a referenced file that cannot be used reaches the provider rule with the reason the loader found', () => {
  const cwd = tempProject({
    'apiproducts.yaml': 'targets:\n  sb: {provider: api7, sandbox: true}\n',
    'products/a.yaml': product('a'),
    'products/specs/weather.yaml': 'openapi: [3.0\n  paths: {',
  });
  const validated = validateProject(loadProject({ cwd }), getProviderKind, cwd);
  assert.equal(validated.diagnostics.map((d) => `${d.source?.file}:${d.source?.line}:${d.source?.column} ${d.rule}`), ['products/a.yaml:7:14 api7/openapi-invalid']);
  assert.match(validated.diagnostics[0]?.message ?? '', /^OpenAPI file products\/specs\/weather\.yaml is not valid YAML or JSON: .* at line \d+, column \d+$/);
});

test.run();
