/**
 * Between observe and plan, only the OpenAPI documents that differ from their counterpart are
 * read: a plan over many unchanged external products parses none of them.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeChangedApis } from '../../src/commands/describe-apis.ts';
import type { DesiredObject, LiveObject } from '../../src/model/objects.ts';

const doc = (path: string): string => JSON.stringify({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { [path]: { get: { responses: { '200': { description: 'ok' } } } } } });
const desired = (key: string, text: string | undefined): DesiredObject => ({
  key, product: key, status: 'published', state: {}, protected: false, locate: () => ({ file: 'p.yaml', line: 1, column: 1 }),
  ...(text === undefined ? {} : { attachments: { openapi: text } }),
});
const live = (key: string, text: string | undefined): LiveObject => ({
  key, owned: true, product: key, status: 'published', state: {}, ref: { id: key },
  ...(text === undefined ? {} : { attachments: { openapi: text } }),
});

test('unchanged documents and objects without one are left undescribed; changed pairs get both sides', async () => {
  const result = await describeChangedApis(
    [desired('same', doc('/a')), desired('changed', doc('/b')), desired('gateway', undefined), desired('new', doc('/c'))],
    [live('same', doc('/a')), live('changed', doc('/old')), live('gateway', undefined), live('orphan', doc('/d'))],
  );
  assert.equal(result.desired.map((o) => [o.key, o.api?.status]), [['same', undefined], ['changed', 'read'], ['gateway', undefined], ['new', undefined]]);
  assert.equal(result.live.map((o) => [o.key, o.api?.status]), [['same', undefined], ['changed', 'read'], ['gateway', undefined], ['orphan', undefined]]);
  const operations = (object: DesiredObject | LiveObject | undefined) => (object?.api?.status === 'read' ? object.api.operations.map((o) => `${o.method} ${o.path}`) : []);
  assert.equal(operations(result.live.find((o) => o.key === 'changed')), ['GET /old']);
  assert.equal(operations(result.desired.find((o) => o.key === 'changed')), ['GET /b']);
});

test('a live object without an OpenAPI document against one in Git: described as carrying none', async () => {
  const result = await describeChangedApis([desired('weather', doc('/a'))], [live('weather', undefined)]);
  assert.equal(result.live[0]!.api, { status: 'unreadable', problem: 'the live product carries no OpenAPI document' });
});

test('nothing differs: the same arrays come back, nothing is parsed', async () => {
  const wanted = [desired('same', doc('/a'))];
  const result = await describeChangedApis(wanted, [live('same', doc('/a'))]);
  assert.is(result.desired[0], wanted[0], 'the very object: no copy, no description');
});

test.run();
