import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ExitCode, formatDiagnostic, UserError } from './model/diagnostic.ts';
import { statOf } from './load/read-text.ts';
import { escapeText, guardOutput } from './model/display.ts';
import { printAnnotations } from './github/annotations.ts';
import { HELP } from './commands/help.ts';
import { masked, type ConsoleIo, type Io, type OutputFormat } from './commands/io.ts';
import type { ProjectOptions } from './commands/project.ts';
import { FAULT_FLAGS, parseFaultFlags } from './commands/fault-flags.ts';
import { ProviderError } from './providers/transport/provider-error.ts';
import { plainStyle } from './render/style.ts';
import { suggestNearest } from './validate/suggest.ts';
import type { LockClock } from './apply/target-lock.ts';

/**
 * The CLI without its process: arguments, output, working directory and the stop signal come in,
 * the exit code goes out. Each command's module is imported only when that command runs, so that
 * `--version`, `help` and `validate` do not load Octokit, the providers or the emulators.
 */
const OPTIONS = {
  config: { type: 'string' },
  products: { type: 'string' },
  target: { type: 'string', multiple: true },
  chdir: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  product: { type: 'string', multiple: true },
  'adopt-from': { type: 'string' },
  'detailed-exitcode': { type: 'boolean' },
  prune: { type: 'boolean' },
  'auto-approve': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'allow-destructive': { type: 'boolean' },
  'allow-affected': { type: 'string' },
  'github-comment': { type: 'boolean' },
  'github-issue': { type: 'boolean' },
  'skip-missing-credentials': { type: 'boolean' },
  'lock-timeout': { type: 'string' },
  'no-lock': { type: 'boolean' },
  force: { type: 'boolean' },
  plan: { type: 'string', multiple: true },
  report: { type: 'string' },
  pr: { type: 'string' },
  skipped: { type: 'string' },
  sha: { type: 'string' },
  artifact: { type: 'string' },
  'destructive-label': { type: 'string' },
  'destructive-environment': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  'no-color': { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  version: { type: 'boolean' },
  // sandbox serve: fault injection (src/sandbox/faults.ts), one string flag each, named once in fault-flags.ts
  ...(Object.fromEntries(FAULT_FLAGS.map((name) => [name, { type: 'string' }])) as Record<(typeof FAULT_FLAGS)[number], { type: 'string' }>),
} as const;

/** Which options each command accepts besides the common ones; anything else is a usage error. */
export const ACCEPTS: Record<string, string[]> = {
  validate: [],
  init: [],
  plan: ['format', 'out', 'detailed-exitcode', 'prune', 'github-comment', 'skip-missing-credentials', 'product', 'destructive-label'],
  apply: ['format', 'auto-approve', 'dry-run', 'allow-destructive', 'allow-affected', 'prune', 'lock-timeout', 'no-lock', 'product'],
  unlock: ['force'],
  drift: ['format', 'github-issue', 'product'],
  github: ['plan', 'skipped', 'report', 'pr', 'destructive-label', 'destructive-environment', 'sha', 'artifact', 'allow-destructive', 'allow-affected', 'lock-timeout', 'prune'],
  import: ['product', 'out', 'adopt-from'],
  sandbox: [...FAULT_FLAGS],
};
export const COMMON = ['config', 'products', 'target', 'chdir', 'help', 'no-color', 'no-cache'];
/** What a run takes from its process; the CLI passes the real one, tests their own. */
export interface RunContext {
  /** The directory relative paths (`--chdir`, `--config`, …) are resolved against. */
  cwd: string;
  /** Resolves when `sandbox serve` should stop, or `apply` should stop starting changes (SIGINT/SIGTERM for the real process). */
  until: () => Promise<void>;
  /** Time for the target locks; tests move it by hand. */
  lockClock?: LockClock;
}

/** The project directory of a run, once known: diagnostic paths are relative to it (for GitHub annotations). */
interface RunState {
  projectDir: string;
}

async function main(argv: string[], given: Io, context: RunContext, state: RunState): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const io = values['no-color'] ? { ...given, style: plainStyle } : given;
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
  if (stray.length) {
    const hint = stray.length === 1 ? didYouMean(stray[0]!, [...COMMON, ...accepted]) : '';
    throw new UserError(`${command} does not take --${stray.join(', --')}${hint}; see \`apiproducts ${command} --help\``);
  }
  // init makes the directory it writes into; every other command reads a project that must be there.
  if (values.chdir !== undefined && command !== 'init' && !statOf(resolve(context.cwd, values.chdir))?.isDirectory()) {
    throw new UserError(`--chdir ${escapeText(values.chdir)}: no such directory`);
  }
  const project: ProjectOptions = {
    cwd: resolve(context.cwd, values.chdir ?? '.'),
    chdir: values.chdir,
    config: values.config,
    products: values.products,
    targets: values.target ?? [],
    ...(values['no-cache'] ? { noCache: true } : {}),
    ...(command !== 'import' && values.product ? { only: values.product } : {}),
  };
  if (values.product && values.prune && command !== 'import') {
    throw new UserError('--prune looks at every product apiproducts manages, so it cannot be narrowed with --product; run it without --product');
  }
  state.projectDir = project.cwd;
  const format = parseFormat(values.format, command === 'apply' ? ['text', 'json'] : ['text', 'json', 'markdown']);
  switch (command) {
    case 'init':
      if (rest.length) throw new UserError(`init takes no arguments, got "${rest.join(' ')}"; it writes into the current directory (or --chdir DIR)`);
      return (await import('./commands/init.ts')).runInit({ cwd: project.cwd }, io);
    case 'validate':
      if (rest.length) throw new UserError(`validate takes no arguments, got "${rest.join(' ')}"`);
      return (await import('./commands/validate.ts')).runValidate(project, io);
    case 'plan':
      return (await import('./commands/plan.ts')).runPlan(
        {
          ...project,
          format,
          out: values.out,
          detailedExitCode: Boolean(values['detailed-exitcode']),
          prune: Boolean(values.prune),
          githubComment: Boolean(values['github-comment']),
          skipMissingCredentials: Boolean(values['skip-missing-credentials']),
          destructiveLabel: values['destructive-label'],
        },
        io,
      );
    case 'apply':
      if (rest.length > 1) throw new UserError(`apply takes at most one plan file, got ${rest.length}`);
      return (await import('./commands/apply.ts')).runApply(
        {
          ...project,
          planFile: rest[0],
          format,
          autoApprove: Boolean(values['auto-approve']),
          dryRun: Boolean(values['dry-run']),
          allowDestructive: Boolean(values['allow-destructive']),
          ...(values['allow-affected'] !== undefined ? { allowAffected: parseAllowAffected(values['allow-affected']) } : {}),
          prune: Boolean(values.prune),
          lockTimeoutMs: parseLockTimeout(values['lock-timeout']),
          noLock: Boolean(values['no-lock']),
          interrupted: context.until,
          ...(context.lockClock ? { lockClock: context.lockClock } : {}),
        },
        io,
      );
    case 'unlock':
      if (rest.length !== 1) throw new UserError(`unlock takes one target name, got ${rest.length ? `"${rest.join(' ')}"` : 'none'}: apiproducts unlock TARGET --force`);
      return (await import('./commands/unlock.ts')).runUnlock({ ...project, target: rest[0], force: Boolean(values.force) }, io);
    case 'drift':
      return (await import('./commands/drift.ts')).runDrift({ ...project, format, githubIssue: Boolean(values['github-issue']) }, io);
    case 'github':
      if (rest.length > 1) throw new UserError(`github takes one subcommand, got "${rest.join(' ')}"`);
      if (rest[0] === 'apply') {
        const stray = (['plan', 'skipped', 'report'] as const).filter((name) => values[name] !== undefined);
        if (stray.length) throw new UserError(`github apply does not take --${stray.join(', --')}; it finds the reviewed plan by the merged pull request`);
        return (await import('./commands/github-apply.ts')).runGithubApply(
          {
            ...project,
            pr: values.pr,
            sha: values.sha,
            artifact: values.artifact,
            destructiveLabel: values['destructive-label'],
            destructiveEnvironment: values['destructive-environment'],
            allowDestructive: Boolean(values['allow-destructive']),
            ...(values['allow-affected'] !== undefined ? { allowAffected: parseAllowAffected(values['allow-affected']) } : {}),
            prune: Boolean(values.prune),
            lockTimeoutMs: parseLockTimeout(values['lock-timeout']),
            noLock: false,
            interrupted: context.until,
            ...(context.lockClock ? { lockClock: context.lockClock } : {}),
          },
          io,
        );
      }
      {
        const stray = (['sha', 'artifact', 'destructive-environment', 'allow-destructive', 'allow-affected', 'lock-timeout', 'prune'] as const).filter((name) => values[name] !== undefined);
        if (stray.length) throw new UserError(`--${stray.join(', --')} belong${stray.length === 1 ? 's' : ''} to \`github apply\`, not \`github ${rest[0] ?? ''}\``);
      }
      return (await import('./commands/github.ts')).runGithub(
        rest[0],
        { ...project, plan: values.plan, skipped: values.skipped, report: values.report, pr: values.pr, destructiveLabel: values['destructive-label'] },
        io,
      );
    case 'import':
      if (rest.length) throw new UserError(`import takes no arguments, got "${rest.join(' ')}"; name products with --product NAME`);
      return (await import('./commands/import.ts')).runImport({ ...project, select: values.product ?? [], out: values.out, ...(values['adopt-from'] !== undefined ? { adoptFrom: values['adopt-from'] } : {}) }, io);
    case 'sandbox':
      if (rest[0] === 'reset') {
        if (parseFaultFlags(values)) throw new UserError('fault flags (--latency, --rate-limit, …) go with `sandbox serve`, not reset');
        return (await import('./commands/sandbox.ts')).runSandboxReset(project, io);
      }
      if (rest[0] === 'serve') return (await import('./commands/sandbox.ts')).runSandboxServe(project, io, context.until(), parseFaultFlags(values));
      throw new UserError(`sandbox needs a subcommand: reset or serve (got ${rest[0] ? `"${rest[0]}"` : 'none'})`);
  }
  return ExitCode.error;
}

/** `--lock-timeout 0 | 90 | 30s | 10m`: plain numbers are seconds, as in Terraform's `-lock-timeout`. */
function parseLockTimeout(value: string | undefined): number {
  if (value === undefined) return 0;
  const match = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw new UserError(`--lock-timeout must be a duration such as 0, 30s, 10m or 1h, got "${value}"`);
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's']!;
}

/** `--allow-affected N`: the most consumers a change may affect on a target that sets maxAffected. */
function parseAllowAffected(value: string): number {
  if (!/^[0-9]+$/.test(value.trim()) || !Number.isSafeInteger(Number(value.trim()))) {
    throw new UserError(`--allow-affected must be a whole number of subscriptions or developer apps (e.g. --allow-affected 42), got "${value}"`);
  }
  return Number(value.trim());
}

/** `; did you mean --auto-approve?` for a flag one or two typos away from a real one. */
function didYouMean(flag: string, candidates: readonly string[]): string {
  const nearest = suggestNearest(flag, candidates);
  return nearest ? `; did you mean --${nearest}?` : '';
}

function parseFormat(value: string | undefined, allowed: OutputFormat[]): OutputFormat {
  if (value === undefined) return 'text';
  if ((allowed as string[]).includes(value)) return value as OutputFormat;
  throw new UserError(`--format must be ${allowed.join(', ').replace(/, ([^,]+)$/, ' or $1')}, got "${value}"`);
}

/**
 * The only place that turns errors into exit codes: a UserError never shows a stack trace. An
 * error's message may quote a server or a lock record, so it is escaped onto its one line.
 */
export async function runCli(argv: string[], console: ConsoleIo, context: RunContext): Promise<number> {
  const state: RunState = { projectDir: context.cwd };
  // Every byte a command prints is masked (credentials), then passes the output guard (controls):
  // masked first, so that escaping never splits a credential the masker must still recognise.
  const io: Io = masked({ ...console, out: (text) => console.out(guardOutput(text)), err: (text) => console.err(guardOutput(text)) });
  try {
    return await main(argv, io, context, state);
  } catch (error) {
    if (error instanceof UserError) {
      for (const diagnostic of error.diagnostics) io.err(formatDiagnostic(diagnostic) + '\n');
      io.err(io.style.red('Error: ') + escapeText(error.message) + '\n');
      // In GitHub Actions, also as annotations on the YAML lines (the error itself when there are none).
      const annotated = error.diagnostics.length ? error.diagnostics : [{ severity: 'error' as const, rule: 'error', message: error.message }];
      printAnnotations(annotated, io.env, state.projectDir, io.err);
      return error.exitCode;
    }
    if (error instanceof ProviderError) {
      // A target's error that escaped a command's own reporting: still one line, never a stack.
      io.err(io.style.red('Error: ') + escapeText(error.message.split('\n')[0]!) + '\n');
      return ExitCode.error;
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      // Node's text for an unknown option explains `--` positionals, which is never the problem here.
      const unknown = /Unknown option '--([^']+)'/.exec(error.message)?.[1];
      const message = unknown ? `unknown option --${unknown}${didYouMean(unknown, Object.keys(OPTIONS))}` : error.message;
      io.err(io.style.red('Error: ') + escapeText(message) + '; run `apiproducts --help`\n');
      return ExitCode.error;
    }
    io.err('Internal error (please report it with the output below):\n' + (error instanceof Error ? error.stack : String(error)) + '\n');
    return ExitCode.error;
  }
}
