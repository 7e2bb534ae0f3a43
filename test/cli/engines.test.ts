/**
 * package.json's `engines` must be honest: every package that ships to users (the lockfile's
 * non-dev entries) either accepts the oldest Node our range allows, or is listed below with the
 * reason it runs there anyway. A new dependency that needs a newer Node fails this test until the
 * range moves or the reason is written down.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';

interface LockEntry { dev?: boolean; engines?: { node?: string } | string[] }
const root = new URL('../../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as { packages: Record<string, LockEntry> };

/**
 * Declared newer than we need, checked by hand. content-type@3 (via @octokit/request) says
 * `>=22` because jshttp supports only maintained Node lines; its dist/index.js is plain string
 * parsing with no Node API, and the whole suite runs on Node 20 in CI.
 */
const policyOnly: Record<string, string> = {
  'content-type': 'plain string parsing, no Node API; the suite runs on Node 20',
};

type Version = [number, number, number];
const parse = (text: string): Version => {
  const [major = 0, minor = 0, patch = 0] = text.trim().replace(/^v/, '').split('.').map(Number);
  return [major, minor, patch];
};
const compare = (a: Version, b: Version): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Whether `version` satisfies a range of the forms the lockfile holds: `>=X`, `^X.Y.Z`, `A || B`. */
function satisfies(version: Version, range: string): boolean {
  return range.split('||').some((alternative) => {
    const part = alternative.trim();
    if (part === '*' || part === '') return true;
    const atLeast = /^>=\s*(\S+)$/.exec(part);
    if (atLeast) return compare(version, parse(atLeast[1]!)) >= 0;
    const caret = /^\^(\S+)$/.exec(part);
    if (caret) {
      const floor = parse(caret[1]!);
      return version[0] === floor[0] && compare(version, floor) >= 0;
    }
    throw new Error(`engines range form not understood: "${part}"`);
  });
}

const oldestAllowed = (): Version => {
  const match = /^>=\s*(\S+)$/.exec(manifest.engines.node);
  assert.ok(match, `package.json engines.node should be a ">=X" floor, is "${manifest.engines.node}"`);
  return parse(match![1]!);
};

test('every shipped dependency runs on the oldest Node that engines allows, or says why it does anyway', () => {
  const floor = oldestAllowed();
  const refused: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev || Array.isArray(entry.engines)) continue;
    const range = entry.engines?.node;
    if (!range || satisfies(floor, range)) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    if (!(name in policyOnly)) refused.push(`${name} wants node ${range}`);
  }
  assert.equal(refused, [], `raise engines.node in package.json, or add a reason to policyOnly`);
});

test('the range reader understands the forms it meets, and refuses the ones it does not', () => {
  assert.ok(satisfies([20, 0, 0], '>= 20'));
  assert.not.ok(satisfies([20, 19, 0], '>=22'));
  assert.ok(satisfies([20, 0, 0], '^12.22.0 || ^14.17.0 || >=16.0.0'));
  assert.not.ok(satisfies([13, 0, 0], '^12.22.0 || ^14.17.0'));
  assert.throws(() => satisfies([20, 0, 0], '~20.1'), /not understood/);
});

test('every policy-only exception is still a dependency', () => {
  const names = Object.keys(lock.packages).map((path) => path.slice(path.lastIndexOf('node_modules/') + 13));
  for (const name of Object.keys(policyOnly)) assert.ok(names.includes(name), `${name} is no longer installed: remove it`);
});

test.run();
