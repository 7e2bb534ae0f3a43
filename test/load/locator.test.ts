import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LineCounter, parseDocument } from 'yaml';
import { createLocator } from '../../src/load/locator.ts';
import { pointerToPath } from '../../src/model/positions.ts';

const source = `# a comment
name: payments
labels: {tier: gold}
auth:
  - key-auth
  - oauth:
      dcrProvider: corp
targets:
  sandbox-api7:
    visiblity: public
    hosts:
`;

function locator() {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter });
  return createLocator(doc, lineCounter, 'products/p.yaml');
}

test('locate: a scalar value, a flow map value, a sequence item, nested paths', () => {
  const { locate } = locator();
  assert.equal(locate(['name']), { file: 'products/p.yaml', line: 2, column: 7 });
  assert.equal(locate(['labels', 'tier']), { file: 'products/p.yaml', line: 3, column: 16 });
  assert.equal(locate(['auth', 0]), { file: 'products/p.yaml', line: 5, column: 5 });
  assert.equal(locate(['auth', '1', 'oauth', 'dcrProvider']), { file: 'products/p.yaml', line: 7, column: 20 });
});

test('locate: the root is the first key, not the comment above it', () => {
  assert.equal(locator().locate([]), { file: 'products/p.yaml', line: 2, column: 1 });
});

test('locate: a missing path falls back to the nearest existing ancestor', () => {
  const { locate } = locator();
  assert.equal(locate(['targets', 'sandbox-api7', 'services', 0, 'service']), { file: 'products/p.yaml', line: 10, column: 5 });
  assert.equal(locate(['auth', 7]), { file: 'products/p.yaml', line: 5, column: 3 });
});

test('locateKey: points at the key itself (unknown fields), the value otherwise', () => {
  const { locateKey } = locator();
  assert.equal(locateKey(['targets', 'sandbox-api7', 'visiblity']), { file: 'products/p.yaml', line: 10, column: 5 });
  assert.equal(locateKey(['targets', 'sandbox-api7']), { file: 'products/p.yaml', line: 9, column: 3 });
  assert.equal(locateKey(['auth', 0]), { file: 'products/p.yaml', line: 5, column: 5 });
});

test('a key without a value is located at its key', () => {
  assert.equal(locator().locate(['targets', 'sandbox-api7', 'hosts']), { file: 'products/p.yaml', line: 11, column: 5 });
});

test('pointerToPath decodes JSON pointer escapes', () => {
  assert.equal(pointerToPath(''), []);
  assert.equal(pointerToPath('/targets/a~1b/services/0'), ['targets', 'a/b', 'services', '0']);
  assert.equal(pointerToPath('/x~0y'), ['x~y']);
});

test.run();
