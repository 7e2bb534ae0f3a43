/**
 * The README is the ten-minute introduction and docs/ holds the reference (issue 20): every relative
 * link between them resolves, the README stays short, keeps the quick start, and links every page.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from '../helpers/project.ts';

const docsDir = join(repoRoot, 'docs');
const pages = ['README.md', ...readdirSync(docsDir).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
const read = (page: string): string => readFileSync(join(repoRoot, page), 'utf8');

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  for (const [, heading] of prose.matchAll(/^#{1,6} +(.+)$/gm)) {
    out.add(heading!.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-'));
  }
  return out;
}

/** Markdown links `[text](target)` outside code blocks and code spans. */
function links(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!);
}

test('every relative link in README.md and docs/*.md points at an existing file and heading', () => {
  let checked = 0;
  for (const page of pages) {
    for (const target of links(read(page))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const file = path ? resolve(repoRoot, dirname(page), path) : join(repoRoot, page);
      assert.ok(existsSync(file), `${page}: link ${target} points at ${relative(repoRoot, file)}, which does not exist`);
      if (anchor && statSync(file).isFile() && file.endsWith('.md')) {
        assert.ok(anchors(readFileSync(file, 'utf8')).has(anchor), `${page}: link ${target}: no heading #${anchor} in ${relative(repoRoot, file)}`);
      }
      checked += 1;
    }
  }
  assert.ok(checked >= 20, `only ${checked} relative links found`);
});

test('the README is under 15 KB, keeps the quick start and links every docs/ page', () => {
  const readme = read('README.md');
  assert.ok(Buffer.byteLength(readme) < 15_000, `README.md is ${Buffer.byteLength(readme)} bytes`);
  for (const command of ['npm ci && npm start', 'npm ci && npm test', 'npm install --save-dev apiproducts', 'npx apiproducts init']) {
    assert.ok(readme.includes(command), `README.md shows ${command}`);
  }
  for (const page of pages.filter((page) => page !== 'README.md')) {
    assert.ok(readme.includes(`](${page})`), `README.md links ${page}`);
  }
});

test('docs/ holds the reference pages the README points to', () => {
  for (const name of ['product-model', 'targets', 'safety', 'security', 'github', 'reliability', 'performance', 'plan-format', 'development', 'architecture']) {
    assert.ok(existsSync(join(docsDir, `${name}.md`)), `docs/${name}.md exists`);
  }
});

test.run();
