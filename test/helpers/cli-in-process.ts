import { runCli } from '../../src/cli-main.ts';
import type { ConsoleIo } from '../../src/commands/io.ts';
import type { LockClock } from '../../src/apply/target-lock.ts';
import { plainStyle } from '../../src/render/style.ts';
import type { CliResult } from './project.ts';

/**
 * The CLI's `runCli` called in this process, with what a spawned `node dist/src/cli.js` would get
 * (a cwd, an environment, no terminal, NO_COLOR) injected instead of read from `process`: ~0.3 s
 * cheaper per run than a spawn. For tests of what the CLI says, not of the process itself (exit
 * status, stream split, no stack on a crash): those keep `runCli` from ./project.ts. Credentials
 * come from `env` too (the providers read the command's environment, Endpoint.env).
 */
export async function runCliInProcess(args: string[], options: { cwd: string; env?: Record<string, string>; input?: string; lockClock?: LockClock }): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const answers = (options.input ?? '').split('\n');
  const io: ConsoleIo = {
    out: (text) => void (stdout += text),
    err: (text) => void (stderr += text),
    interactive: false,
    style: plainStyle,
    ask: async () => answers.shift() ?? '',
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...options.env },
  };
  const code = await runCli(args, io, {
    cwd: options.cwd,
    until: () => Promise.reject(new Error('sandbox serve is not run in-process: spawn it')),
    ...(options.lockClock ? { lockClock: options.lockClock } : {}),
  });
  return { code, stdout, stderr };
}
