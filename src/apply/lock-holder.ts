import { hostname, userInfo } from 'node:os';
import { UserError, type Diagnostic } from '../model/diagnostic.ts';
import { escapeText } from '../model/display.ts';
import type { LockHolder, StoredLock } from '../model/lock.ts';

/**
 * Who this run is, for the lock record: what a run that has to wait is shown. Only names, never
 * a credential: GitHub's run variables are public to anyone who can see the run.
 */
export function currentHolder(command: string, env: NodeJS.ProcessEnv): LockHolder {
  const holder: LockHolder = { host: hostname(), user: env.GITHUB_ACTOR || loginName(), pid: process.pid, command };
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run } = env;
  if (server && repository && run) holder.ciRunUrl = `${server}/${repository}/actions/runs/${run}`;
  return holder;
}

function loginName(): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (some containers): the lock still works, it just names nobody.
    return 'unknown';
  }
}

/** `apply plan.json on ci-7 by octocat (pid 4242) since 2026-12-07T01:02:03.000Z, until …, https://…/runs/9`. */
export function describeHolder(record: StoredLock): string {
  return escapeText(holderText(record));
}

/** Every part is read back from a record on the portal, which anyone with a token can write: `describeHolder` escapes it whole. */
function holderText(record: StoredLock): string {
  const ticket = record.ticket;
  if (!ticket) return `an unreadable lock record (${Object.values(record.ref).join(', ')})`;
  const { holder } = ticket;
  const run = holder.ciRunUrl ? `, ${holder.ciRunUrl}` : '';
  return `\`${holder.command}\` on ${holder.host} by ${holder.user} (pid ${holder.pid}) since ${ticket.acquiredAt}, lease until ${ticket.expiresAt}${run}`;
}

/** Another run holds the target's lock: exit 1, naming it and what to do. */
export class LockHeldError extends UserError {
  constructor(target: string, holders: readonly StoredLock[]) {
    const diagnostics: Diagnostic[] = holders.map((record) => ({
      severity: 'error',
      rule: 'lock/held',
      target,
      message: `locked by ${describeHolder(record)}`,
    }));
    super(
      `target ${target} is locked by another run, so this apply wrote nothing. Wait for it (--lock-timeout 10m waits up to ten minutes); if no apply is running there any more, run \`apiproducts unlock ${target} --force\``,
      diagnostics,
    );
    this.name = 'LockHeldError';
  }
}
