#!/usr/bin/env node
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ExitCode, formatDiagnostic, UserError } from './model/diagnostic.ts';
import { runApply } from './commands/apply.ts';
import { runDrift } from './commands/drift.ts';
import { runGithub } from './commands/github.ts';
import { printAnnotations } from './github/annotations.ts';
import { HELP } from './commands/help.ts';
import { runImport } from './commands/import.ts';
import { processIo, type Io, type OutputFormat } from './commands/io.ts';
import { runPlan } from './commands/plan.ts';
import type { ProjectOptions } from './commands/project.ts';
import { FAULT_FLAGS, parseFaultFlags, runSandboxReset, runSandboxServe } from './commands/sandbox.ts';
import { ProviderError } from './providers/transport/provider-error.ts';
import { runValidate } from './commands/validate.ts';

const OPTIONS = {
  config: { type: 'string' },
  products: { type: 'string' },
  target: { type: 'string', multiple: true },
  chdir: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  product: { type: 'string', multiple: true },
  'detailed-exitcode': { type: 'boolean' },
  prune: { type: 'boolean' },
  'auto-approve': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'allow-destructive': { type: 'boolean' },
  'github-comment': { type: 'boolean' },
  'github-issue': { type: 'boolean' },
  'skip-missing-credentials': { type: 'boolean' },
  plan: { type: 'string' },
  report: { type: 'string' },
  pr: { type: 'string' },
  skipped: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  // sandbox serve: fault injection (src/sandbox/faults.ts)
  latency: { type: 'string' },
  'rate-limit': { type: 'string' },
  burst: { type: 'string' },
  'retry-after': { type: 'string' },
  'fail-rate': { type: 'string' },
  'fail-status': { type: 'string' },
  'fail-phase': { type: 'string' },
  'drop-rate': { type: 'string' },
  'drop-phase': { type: 'string' },
  'slow-rate': { type: 'string' },
  'slow-ms': { type: 'string' },
  seed: { type: 'string' },
} as const;

/** Which options each command accepts besides the common ones; anything else is a usage error. */
const ACCEPTS: Record<string, string[]> = {
  validate: [],
  plan: ['format', 'out', 'detailed-exitcode', 'prune', 'github-comment', 'skip-missing-credentials'],
  apply: ['format', 'auto-approve', 'dry-run', 'allow-destructive', 'prune'],
  drift: ['format', 'github-issue'],
  github: ['plan', 'skipped', 'report', 'pr'],
  import: ['product', 'out'],
  sandbox: [...FAULT_FLAGS],
};
const COMMON = ['config', 'products', 'target', 'chdir', 'help'];
/** The project directory of this run: diagnostic paths are relative to it (for GitHub annotations). */
let projectDir = process.cwd();

async function main(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const [command, ...rest] = positionals;
  if (values.version) {
    const { tool } = await import('./commands/tool-info.ts');
    io.out(`${tool.name} ${tool.version}\n`);
    return 0;
  }
  if (!command || command === 'help') {
    io.out((HELP[rest[0] ?? 'main'] ?? HELP.main) + '\n');
    return command || values.help ? 0 : ExitCode.error;
  }
  const accepted = ACCEPTS[command];
  if (!accepted) throw new UserError(`unknown command "${command}"; run \`apiproducts --help\` for the list`);
  if (values.help) {
    io.out(HELP[command] + '\n');
    return 0;
  }
  const stray = Object.keys(values).filter((name) => !COMMON.includes(name) && !accepted.includes(name));
  if (stray.length) throw new UserError(`${command} does not take --${stray.join(', --')}; see \`apiproducts ${command} --help\``);
  const project: ProjectOptions = {
    cwd: resolve(values.chdir ?? '.'),
    config: values.config,
    products: values.products,
    targets: values.target ?? [],
  };
  projectDir = project.cwd;
  const format = parseFormat(values.format, command === 'apply' ? ['text', 'json'] : ['text', 'json', 'markdown']);
  switch (command) {
    case 'validate':
      if (rest.length) throw new UserError(`validate takes no arguments, got "${rest.join(' ')}"`);
      return runValidate(project, io);
    case 'plan':
      return runPlan(
        {
          ...project,
          format,
          out: values.out,
          detailedExitCode: Boolean(values['detailed-exitcode']),
          prune: Boolean(values.prune),
          githubComment: Boolean(values['github-comment']),
          skipMissingCredentials: Boolean(values['skip-missing-credentials']),
        },
        io,
      );
    case 'apply':
      if (rest.length > 1) throw new UserError(`apply takes at most one plan file, got ${rest.length}`);
      return runApply(
        {
          ...project,
          planFile: rest[0],
          format,
          autoApprove: Boolean(values['auto-approve']),
          dryRun: Boolean(values['dry-run']),
          allowDestructive: Boolean(values['allow-destructive']),
          prune: Boolean(values.prune),
        },
        io,
      );
    case 'drift':
      return runDrift({ ...project, format, githubIssue: Boolean(values['github-issue']) }, io);
    case 'github':
      if (rest.length > 1) throw new UserError(`github takes one subcommand, got "${rest.join(' ')}"`);
      return runGithub(rest[0], { ...project, plan: values.plan, skipped: values.skipped, report: values.report, pr: values.pr }, io);
    case 'import':
      if (rest.length) throw new UserError(`import takes no arguments, got "${rest.join(' ')}"; name products with --product NAME`);
      return runImport({ ...project, select: values.product ?? [], out: values.out }, io);
    case 'sandbox':
      if (rest[0] === 'reset') {
        if (parseFaultFlags(values)) throw new UserError('fault flags (--latency, --rate-limit, …) go with `sandbox serve`, not reset');
        return runSandboxReset(project, io);
      }
      if (rest[0] === 'serve') return runSandboxServe(project, io, interrupted(), parseFaultFlags(values));
      throw new UserError(`sandbox needs a subcommand: reset or serve (got ${rest[0] ? `"${rest[0]}"` : 'none'})`);
  }
  return ExitCode.error;
}

function parseFormat(value: string | undefined, allowed: OutputFormat[]): OutputFormat {
  if (value === undefined) return 'text';
  if ((allowed as string[]).includes(value)) return value as OutputFormat;
  throw new UserError(`--format must be ${allowed.join(', ').replace(/, ([^,]+)$/, ' or $1')}, got "${value}"`);
}

function interrupted(): Promise<void> {
  return new Promise((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

/** The only place that turns errors into exit codes: a UserError never shows a stack trace. */
async function run(): Promise<void> {
  const io = processIo();
  try {
    process.exitCode = await main(process.argv.slice(2), io);
  } catch (error) {
    if (error instanceof UserError) {
      for (const diagnostic of error.diagnostics) io.err(formatDiagnostic(diagnostic) + '\n');
      io.err(io.style.red('Error: ') + error.message + '\n');
      // In GitHub Actions, also as annotations on the YAML lines (the error itself when there are none).
      const annotated = error.diagnostics.length ? error.diagnostics : [{ severity: 'error' as const, rule: 'error', message: error.message }];
      printAnnotations(annotated, io.env, projectDir, io.err);
      process.exitCode = error.exitCode;
    } else if (error instanceof ProviderError) {
      // A target's error that escaped a command's own reporting: still one line, never a stack.
      io.err(io.style.red('Error: ') + error.message.split('\n')[0] + '\n');
      process.exitCode = ExitCode.error;
    } else if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      io.err(io.style.red('Error: ') + error.message + '; run `apiproducts --help`\n');
      process.exitCode = ExitCode.error;
    } else {
      io.err('Internal error (please report it with the output below):\n' + (error instanceof Error ? error.stack : String(error)) + '\n');
      process.exitCode = ExitCode.error;
    }
  }
}

await run();
