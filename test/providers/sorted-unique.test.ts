import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sortedUnique } from '../../src/providers/sorted-unique.ts';

test('sortedUnique is the distinct strings in Array#sort order, sorted input or not, and never the input array itself', () => {
  const lists = [[], ['a'], ['a', 'b'], ['b', 'a'], ['a', 'a'], ['a', 'b', 'b'], ['B', 'a', 'A'], ['é', 'e', 'z'], ['😀', '\uffff', 'a'], ['10', '9', '1'], ['', ' ', '']];
  for (const list of lists) {
    const result = sortedUnique(list);
    assert.equal(result, [...new Set(list)].sort(), JSON.stringify(list));
    assert.is.not(result, list);
  }
  assert.equal(sortedUnique(new Set(['b', 'a'])), ['a', 'b']);
});

test.run();
