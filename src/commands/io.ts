import { createInterface } from 'node:readline/promises';
import { colourStyle, plainStyle, type Style } from '../render/style.ts';
import { SecretMasker } from '../model/masker.ts';

/** Where a command writes, and what it may ask: the CLI passes the process's, tests their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether a person can answer a prompt. */
  interactive: boolean;
  style: Style;
  /** Returns the answer typed, or '' when the input closes. */
  ask(question: string): Promise<string>;
  env: NodeJS.ProcessEnv;
  /** Every credential this run sends, added before it is sent; `out` and `err` already mask them. */
  secrets: SecretMasker;
}

/** What a caller of the CLI provides: runCli adds the masker (`masked`), so no command can write unmasked. */
export type ConsoleIo = Omit<Io, 'secrets'>;

/**
 * The Io every command gets: writes masked by a fresh masker, which is first fed the GitHub token
 * (sent by every GitHub command) and then every portal credential as its provider reads it.
 */
export function masked(io: ConsoleIo): Io {
  const secrets = new SecretMasker();
  secrets.add(io.env.GITHUB_TOKEN);
  return { ...io, out: (text) => io.out(secrets.mask(text)), err: (text) => io.err(secrets.mask(text)), secrets };
}

export function processIo(): ConsoleIo {
  const colour = wantsColour(process.env, Boolean(process.stdout.isTTY));
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    style: colour ? colourStyle : plainStyle,
    ask: async (question) => {
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      // Ctrl-C at the prompt reaches readline, not the process: close, so the answer is '' (no).
      rl.on('SIGINT', () => rl.close());
      try {
        return await rl.question(question);
      } catch {
        return '';
      } finally {
        rl.close();
      }
    },
    env: process.env,
  };
}

/**
 * Colour on a terminal, off when piped; `NO_COLOR` (no-color.org) always wins, then `FORCE_COLOR`
 * (`0`/`false` off, anything else on, as Node and chalk read it) for CI logs that render ANSI.
 * `--no-color` is applied by the CLI on top of this.
 */
export function wantsColour(env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  return isTty && env.TERM !== 'dumb';
}

export type OutputFormat = 'text' | 'json' | 'markdown';
