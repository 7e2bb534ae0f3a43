import { execFileSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseOpenapiText } from '../../src/load/referenced-files.ts';

// OpenAPI YAML keyed by status codes: same value, compact element stores (src/load/index-keys.ts).
const SPEC = [
  'openapi: 3.0.3',
  'info: {title: Orders, version: "1"}',
  'x-shared: &ok {description: OK}',
  'paths:',
  '  /orders:',
  '    get:',
  '      responses:',
  '        "404": {description: Not found}',
  '        200: *ok',
  '        default: {description: Error}',
  '  /list: {get: {responses: [1, 2]}}',
  '',
].join('\n');

test('a YAML OpenAPI document keyed by status codes keeps its keys, their order, its values and its aliases', () => {
  const parsed = parseOpenapiText(SPEC, 'specs/orders.yaml') as { value: any };
  const responses = parsed.value.paths['/orders'].get.responses;
  assert.equal(Object.keys(responses), ['200', '404', 'default']);
  assert.equal(responses, { 200: { description: 'OK' }, 404: { description: 'Not found' }, default: { description: 'Error' } });
  assert.is(responses['200'], parsed.value['x-shared'], 'the alias is still the anchored object');
  assert.equal(parsed.value.paths['/list'].get.responses, [1, 2]);
  assert.not.ok(Object.hasOwn(responses, 2 ** 30));
});

test('its status-code objects are stored as V8 dictionaries, as JSON.parse stores them, not as element arrays up to the largest code', () => {
  // V8's own answer, in a process of its own: the flag that allows asking it is not for the test workers.
  const script = [
    "import { parseOpenapiText } from './src/load/referenced-files.ts';",
    'const isDictionary = new Function("o", "return %HasDictionaryElements(o)");',
    `const { value } = parseOpenapiText(${JSON.stringify(SPEC)}, 'specs/orders.yaml');`,
    'const built = {}; built[200] = 1; built[404] = 2;',
    "console.log(JSON.stringify([isDictionary(value.paths['/orders'].get.responses), isDictionary(built)]));",
  ].join('\n');
  const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(JSON.parse(out), [true, false], 'compacted; an object built key by key is not (what the test would see without the fix)');
});

test.run();
