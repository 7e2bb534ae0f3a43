/**
 * Every `apiproducts <command> --flag` the README and docs/ show is one the CLI takes, and every
 * exit code they list is one it returns (issue 20: what the docs say is what runs). Read from the
 * Markdown itself, code blocks and code spans alike, so a renamed flag fails here first.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ACCEPTS, COMMON } from '../../src/cli-main.ts';
import { HELP } from '../../src/commands/help.ts';
import { ExitCode } from '../../src/model/diagnostic.ts';
import { POLICY_SCHEMA_DEFS } from '../../src/validate/policies/policy-schema.ts';
import { POLICY_RULE_IDS } from '../../src/validate/policies/rule.ts';
import { repoRoot } from '../helpers/project.ts';

const pages = ['README.md', ...readdirSync(join(repoRoot, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
const text = (page: string) => readFileSync(join(repoRoot, page), 'utf8');

/** `apiproducts plan --target x --out p.json` → plan and its flags, wherever the docs write a command. */
function shownCommands(markdown: string): { command: string; flags: string[]; line: string }[] {
  const found: { command: string; flags: string[]; line: string }[] = [];
  for (const line of markdown.split('\n')) {
    for (const match of line.matchAll(/\bapiproducts ([a-z][a-z-]*)([^`|;#&)]*)/g)) {
      const command = match[1]!;
      if (!(command in ACCEPTS) && !['help'].includes(command)) continue; // prose: "apiproducts keeps…"
      found.push({ command, flags: [...match[2]!.matchAll(/(?:^|\s)--([a-z][a-z-]*)/g)].map((m) => m[1]!), line: line.trim() });
    }
  }
  return found;
}

test('every command and flag shown in README.md and docs/ is one the CLI accepts', () => {
  let checked = 0;
  for (const page of pages) {
    for (const { command, flags, line } of shownCommands(text(page))) {
      const accepted = new Set([...COMMON, ...(ACCEPTS[command] ?? []), 'version']);
      for (const flag of flags) assert.ok(accepted.has(flag), `${page}: \`apiproducts ${command}\` does not take --${flag}: ${line}`);
      checked += 1;
    }
  }
  assert.ok(checked > 40, `only ${checked} commands found: the pattern no longer reads the docs`);
});

test('every command has help, and the commands table lists each', () => {
  const readme = text('README.md');
  for (const command of Object.keys(ACCEPTS)) {
    assert.type(HELP[command], 'string', `apiproducts ${command} --help`);
    assert.match(readme, `apiproducts ${command}`, `README's commands table shows ${command}`);
  }
});

test('the exit codes the README lists are exactly the ones the CLI returns', () => {
  const table = /### Exit codes\n\n\| code \| meaning \|\n\|---\|---\|\n((?:\|.*\|\n)+)/.exec(text('README.md'));
  assert.ok(table, 'README has the exit-code table');
  const listed = [...table[1]!.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
  assert.equal(listed.sort((a, b) => a - b), Object.values(ExitCode).sort((a, b) => a - b));
});

test('docs/policies.md documents every rule of the catalogue, the README names each, and the exit codes it states are the CLI\'s', () => {
  const page = text('docs/policies.md');
  const readme = text('README.md');
  const schemaRules = Object.keys((POLICY_SCHEMA_DEFS.policies as { properties: object }).properties);
  assert.equal(schemaRules, [...POLICY_RULE_IDS], 'the schema allows exactly the catalogue');
  for (const id of POLICY_RULE_IDS) {
    assert.match(page, `### \`${id}\``, `docs/policies.md has a section for ${id}`);
    assert.match(readme, `\`${id}\``, `README.md names ${id}`);
  }
  const stated = [...page.matchAll(/\bexit (\d+)/g)].map((m) => Number(m[1]));
  assert.ok(stated.includes(ExitCode.error) && stated.includes(ExitCode.ok), 'the severity table states exit 1 and exit 0');
  for (const code of stated) assert.ok((Object.values(ExitCode) as number[]).includes(code), `exit ${code} is one the CLI returns`);
});

test.run();
