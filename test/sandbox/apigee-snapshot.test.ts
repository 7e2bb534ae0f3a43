import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { matchesSnapshot, snapshotOf } from '../../src/sandbox/apigee/snapshot.ts';

// The flat snapshot list-view.ts checks a product against before reusing its view: it must tell
// apart every two values that are not the same data, and match every value that is.

const product = (): Record<string, unknown> => ({
  name: 'orders',
  attributes: [{ name: 'access', value: 'public' }, { name: 'team', value: 'commerce' }],
  environments: ['prod', 'test'],
  quota: '10',
  createdAt: 1,
  unmodelled: { nested: { list: [1, [2, 3], { deep: null }] } },
});

test('the same data matches, a fresh copy included', () => {
  const snapshot = snapshotOf(product())!;
  assert.ok(matchesSnapshot(snapshot, product()));
  assert.ok(matchesSnapshot(snapshotOf([])!, []));
  assert.ok(matchesSnapshot(snapshotOf({})!, {}));
  assert.ok(matchesSnapshot(snapshotOf(Number.NaN)!, Number.NaN));
});

test('any difference in values, keys, key order, lengths or shapes does not match', () => {
  const snapshot = snapshotOf(product())!;
  const edits: [string, (p: Record<string, any>) => void][] = [
    ['a value', (p) => (p.quota = '11')],
    ['a number for its string', (p) => (p.createdAt = '1')],
    ['a nested value', (p) => (p.attributes[1].value = 'billing')],
    ['a deep value', (p) => (p.unmodelled.nested.list[1][1] = 4)],
    ['null for undefined', (p) => (p.unmodelled.nested.list[2].deep = undefined)],
    ['a key added', (p) => (p.description = '')],
    ['a key added whose value is undefined', (p) => (p.description = undefined)],
    ['a key removed', (p) => delete p.quota],
    ['a key renamed', (p) => { p.quotas = p.quota; delete p.quota; }],
    ['the key order', (p) => { const quota = p.quota; delete p.quota; p.quota = quota; }],
    ['an item added', (p) => p.environments.push('dev')],
    ['an item removed', (p) => p.environments.pop()],
    ['two items swapped', (p) => p.environments.reverse()],
    ['a list for an object', (p) => (p.unmodelled.nested = [p.unmodelled.nested])],
    ['an object for a list', (p) => (p.environments = { 0: 'prod', 1: 'test' })],
    ['an object for a primitive', (p) => (p.quota = { value: '10' })],
    ['a primitive for an object', (p) => (p.unmodelled = 'none')],
    ['an empty list for an empty object', (p) => (p.unmodelled.nested.list[2] = [])],
    ['a class instance for a plain object', (p) => (p.unmodelled = new (class Unmodelled { nested = { list: [1, [2, 3], { deep: null }] } })())],
  ];
  for (const [what, edit] of edits) {
    const edited = product();
    edit(edited);
    assert.not.ok(matchesSnapshot(snapshot, edited), what);
  }
  assert.not.ok(matchesSnapshot(snapshotOf(0)!, -0), '-0 is not 0 (Object.is)');
  assert.not.ok(matchesSnapshot(snapshotOf({ a: [] })!, { a: {} }));
  assert.not.ok(matchesSnapshot(snapshotOf([['a']])!, ['a']));
  assert.not.ok(matchesSnapshot(snapshotOf(['a', 'b'])!, [['a', 'b']]));
});

test('a key named __proto__ is data like any other', () => {
  const snapshot = snapshotOf(JSON.parse('{"__proto__": {"limit": 1}}'))!;
  assert.ok(matchesSnapshot(snapshot, JSON.parse('{"__proto__": {"limit": 1}}')));
  assert.not.ok(matchesSnapshot(snapshot, JSON.parse('{"__proto__": {"limit": 2}}')));
  assert.not.ok(matchesSnapshot(snapshot, {}));
});

test('what is not plain data has no snapshot (such a product is never cached)', () => {
  assert.is(snapshotOf({ at: new Date(0) }), undefined);
  assert.is(snapshotOf({ run: () => 1 }), undefined);
  assert.is(snapshotOf({ big: 1n }), undefined);
  assert.is(snapshotOf([Symbol('s')]), undefined);
});

test.run();
