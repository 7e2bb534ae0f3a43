import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareStates } from '../../src/diff/compare.ts';

const state = () => ({ description: 'd', labels: { team: 'x', tier: 'gold' }, services: [{ id: 's1', hosts: ['a', 'b'] }], quota: { limit: 10 } });

test('equal states, in any key order, have no field changes', () => {
  const reordered = { quota: { limit: 10 }, services: [{ hosts: ['a', 'b'], id: 's1' }], labels: { tier: 'gold', team: 'x' }, description: 'd' };
  assert.equal(compareStates(state(), state()), []);
  assert.equal(compareStates(state(), reordered), []);
});

test('a difference deep inside is one field: the key of an object, the whole of an array', () => {
  const after = state();
  after.services[0]!.hosts[1] = 'c';
  after.labels.tier = 'silver';
  assert.equal(compareStates(state(), after), [
    { path: 'labels.tier', before: 'gold', after: 'silver' },
    { path: 'services', before: state().services, after: after.services },
  ]);
});

test('absent, undefined, empty string, list and map all mean not set; a number is not its string', () => {
  assert.equal(compareStates({ a: undefined, b: [], c: {}, d: '' }, {}), []);
  assert.equal(compareStates({}, { a: undefined, b: [], c: {}, d: '' }), []);
  assert.equal(compareStates({ limit: 10 }, { limit: '10' }), [{ path: 'limit', before: 10, after: '10' }]);
  assert.equal(compareStates({ list: [1, 2] }, { list: [1, 2, 3] }), [{ path: 'list', before: [1, 2], after: [1, 2, 3] }]);
  assert.equal(compareStates({ value: null }, { value: {} }), []);
  assert.equal(compareStates({ value: [] }, { value: {} }), []);
});

test('a key holding a dot is one field: a label cost.center added, changed or removed is shown with its values', () => {
  assert.equal(compareStates({ labels: { team: 'x' } }, { labels: { team: 'x', 'cost.center': 'eng' } }), [{ path: 'labels.cost.center', after: 'eng' }]);
  assert.equal(compareStates({ labels: { 'cost.center': 'eng' } }, { labels: { 'cost.center': 'ops' } }), [{ path: 'labels.cost.center', before: 'eng', after: 'ops' }]);
  assert.equal(compareStates({ labels: { 'cost.center': 'eng' } }, { labels: {} }), [{ path: 'labels.cost.center', before: 'eng' }]);
  // Not confused with a nested object of the same dotted path.
  assert.equal(compareStates({ labels: { cost: { center: 'eng' } } }, { labels: { cost: { center: 'eng' }, 'cost.center': 'eng' } }), [{ path: 'labels.cost.center', after: 'eng' }]);
});

test.run();
