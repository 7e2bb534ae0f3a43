/** Issue 16, forged output: the one escaper at each renderer's point of output, and the sink's guard. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatValue, guardOutput } from '../../src/model/display.ts';
import { formatDiagnostic } from '../../src/model/diagnostic.ts';
import { describeHolder } from '../../src/apply/lock-holder.ts';
import { escapeMarkdown } from '../../src/render/markdown-escape.ts';
import { renderProgressLine } from '../../src/render/report-text.ts';
import { colourStyle, plainStyle } from '../../src/render/style.ts';
import { runCliInProcess } from '../helpers/cli-in-process.ts';
import { FORGED_TEXT, RAW_CONTROL } from '../fixtures/forged-output.ts';

const FORGED = FORGED_TEXT[0]!.text;

test('guardOutput: keeps line breaks and our colour codes, escapes every other control, bidi and separator', () => {
  const ours = colourStyle.red('Error: ') + 'done\n';
  assert.is(guardOutput(ours), ours);
  assert.is(guardOutput('a\u001b[2K\rb\u202ec\u2028d\te\n'), 'a\\u001B[2K\\u000Db\\u202Ec\\u2028d\\u0009e\n');
});

test('guardOutput: JSON stays the same value (a raw character can only sit in a string, where \\u202E means it)', () => {
  for (const { text } of FORGED_TEXT) {
    const json = JSON.stringify({ text, list: [text] }, null, 2);
    const guarded = guardOutput(json);
    assert.not.match(guarded, RAW_CONTROL);
    assert.equal(JSON.parse(guarded), { text, list: [text] });
  }
});

test('formatValue: JSON escapes C0 controls, the escaper what JSON leaves raw (bidi, U+2028, NEL)', () => {
  assert.is(formatValue('a\u202eb\u2028c\u0085d\u001b'), '"a\\u202Eb\\u2028c\\u0085d\\u001b"');
});

test('formatDiagnostic: a message, fix or target quoting a portal stays on its lines', () => {
  const line = formatDiagnostic({ severity: 'error', rule: 'api7/http', target: FORGED, message: FORGED, fix: FORGED });
  assert.is(line.split('\n').length, 2, 'the head and its fix line only');
  assert.not.match(line, RAW_CONTROL);
  assert.match(line, 'target x\\u001B[2K\\u000DPlan: 0 to create\\u000A::error::forged: error [api7/http] x\\u001B');
});

test('escapeMarkdown: control characters are escaped, then their backslashes for Markdown', () => {
  assert.is(escapeMarkdown('a\u001bb\nc\u202e'), 'a\\\\u001Bb\\\\u000Ac\\\\u202E');
});

test('report lines: the key, target and a server message are escaped', () => {
  const line = renderProgressLine({ changeId: 'c1', target: 'api7-prod', key: FORGED, action: 'update', outcome: 'failed', message: FORGED, attempts: 1, durationMs: 3 }, plainStyle);
  assert.not.match(line, RAW_CONTROL);
  assert.not.match(line, '\n');
});

test('describeHolder: a lock record read back from the portal cannot forge a line', () => {
  const shown = describeHolder({ ref: { id: 'lock-1' }, ticket: { nonce: 'n', acquiredAt: 't0', expiresAt: 't1', holder: { host: FORGED, user: 'u\u202eser', pid: 1, command: 'apply\r\n::add-mask::x' } } });
  assert.not.match(shown, RAW_CONTROL);
  assert.not.match(shown, '\n');
  assert.match(shown, '`apply\\u000D\\u000A::add-mask::x` on x\\u001B[2K');
});

test('the CLI\'s Error: line escapes its message', async () => {
  const result = await runCliInProcess(['apply', '--lock-timeout', FORGED], { cwd: process.cwd() });
  assert.is(result.code, 1);
  assert.match(result.stderr, 'Error: --lock-timeout must be a duration such as 0, 30s, 10m or 1h, got "x\\u001B[2K\\u000DPlan: 0 to create\\u000A::error::forged"');
  assert.not.match(result.stderr, RAW_CONTROL);
  assert.not.ok(result.stderr.split('\n').some((l) => l.startsWith('::') || l.startsWith('Plan:')));
});

test.run();
