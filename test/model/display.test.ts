import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { escapeText, sanitizeDiagnostic, showValue } from '../../src/model/display.ts';

test('escapeText: control, format and separator characters become \\u escapes; the rest stays', () => {
  assert.is(escapeText('a\u0000b\u001b[2J\u202Ec\u200Dd\u2028e\u00A0f'), 'a\\u0000b\\u001B[2J\\u202Ec\\u200Dd\\u2028e\\u00A0f');
  assert.is(escapeText('café 💳 naïve – ok\\n'), 'café 💳 naïve – ok\\n');
  assert.is(escapeText('line\nbreak\ttab'), 'line\\u000Abreak\\u0009tab');
});

test('showValue: quoted; identities also escape non-ASCII (look-alikes); long values cut; credentials not shown', () => {
  assert.is(showValue('sandbox\u2011api7'), '"sandbox\u2011api7"');
  assert.is(showValue('sandbox\u2011api7', { identity: true }), '"sandbox\\u2011api7"');
  assert.is(showValue('pay💳', { identity: true }), '"pay\\u{1F4B3}"');
  assert.is(showValue('x'.repeat(100)), `"${'x'.repeat(64)}…"`);
  assert.is(showValue('ghp_abcdefghijklmnopqrstuvwxyz0123456789'), '(not shown: it looks like a GitHub token (ghp_…))');
});

test('sanitizeDiagnostic: credentials found in the input are cut from any message, then everything is escaped', () => {
  const secret = 'Tr0ub4dor-and-3';
  const d = sanitizeDiagnostic(
    { severity: 'error', rule: 'x/y', message: `resource path "/a/${secret}" \u001b[31m`, fix: `remove ${secret}`, source: { file: 'p\u202E.yaml', line: 1, column: 1 } },
    [secret],
  );
  assert.equal(d, { severity: 'error', rule: 'x/y', message: 'resource path "/a/(redacted)" \\u001B[31m', fix: 'remove (redacted)', source: { file: 'p\\u202E.yaml', line: 1, column: 1 } });
});

test.run();
