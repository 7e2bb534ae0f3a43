import { hasErrors } from '../model/diagnostic.ts';
import type { TargetConfig } from '../model/target.ts';
import { readConfig } from '../load/read-config.ts';
import { checkConfig } from '../validate/config.ts';
import { observeTargets, type LiveTarget } from '../observe/read-live.ts';
import type { Provider } from '../providers/provider.ts';
import type { Io } from './io.ts';
import type { ProjectOptions, ValidProject } from './project.ts';
import { openTargets, type OpenTargets } from './session.ts';

/** Targets opened as soon as apiproducts.yaml was read, with their live state being read. */
export interface EarlyTargets {
  open: OpenTargets;
  /** The targets' names, in order: they must be the run's targets once the project is valid. */
  names: readonly string[];
  /** observeTargets of the targets read early, under way; it never rejects unawaited (see startObserving). */
  live: Promise<Map<string, LiveTarget>>;
  /** Drops the observation (a load error): its connections closed, its retry waits cut short. */
  drop(): Promise<void>;
}

/** What a read-only command starts with: the valid project, and the observation started while it loaded. */
export interface ProjectWhileObserving {
  project: ValidProject;
  early?: EarlyTargets;
}

/**
 * Read while loading (plan, drift): the targets' live state (list pages) is requested as soon as
 * apiproducts.yaml is read and valid, and loading and validating the products give the event loop
 * a turn every few milliseconds so that the answers are read and the next pages requested
 * meanwhile. Reading changes nothing on a portal, so a load or validation error still leaves
 * everything as it was: the observation is dropped (its connections closed, its outcome, even a
 * failure, ignored) and only the load errors are reported. `pick` narrows the targets as the
 * command will (`--skip-missing-credentials`); `now` is the clock of the pauses (timeSlices).
 *
 * Nothing starts early when the run would do more than read: sandbox targets (starting one writes
 * its state and owner record under .apiproducts/), or a targets file with problems, an unknown
 * `--target`, or targets that cannot be opened (those errors are raised in their usual place,
 * after loading, so that what a run reports does not change).
 */
export async function loadWhileObserving(
  options: ProjectOptions,
  io: Pick<Io, 'env' | 'err' | 'secrets'>,
  command: string,
  settings: { pick?: (targets: TargetConfig[]) => TargetConfig[]; now?: () => number; later?: (provider: Provider) => boolean } = {},
): Promise<ProjectWhileObserving> {
  const pick = settings.pick ?? ((targets: TargetConfig[]) => targets);
  const config = readConfig(options.config ?? 'apiproducts.yaml', options.cwd);
  const targets = runTargets(config, options);
  const early = targets ? await startObserving(pick(targets), options.cwd, io, command, settings.later) : undefined;
  try {
    // Loaded once the lists are requested: loading and validating products take most of the
    // command's code (the rules, the product schema), and reading the lists needs none of it.
    const { loadValidProjectPausing } = await import('./project.ts');
    const project = await loadValidProjectPausing(options, config, settings.now);
    return early ? { project, early } : { project };
  } catch (error) {
    await early?.drop();
    throw error;
  }
}

/**
 * The open targets for the run's targets, and their observation if it started early; otherwise
 * (nothing started, or other targets) they are opened now and observed by makePlan.
 */
export async function openRunTargets(
  project: ValidProject,
  early: EarlyTargets | undefined,
  cwd: string,
  io: Pick<Io, 'env' | 'err' | 'secrets'>,
  command: string,
): Promise<{ open: OpenTargets; observed?: Promise<Map<string, LiveTarget>> }> {
  if (early && sameNames(early.names, project.targets)) return { open: early.open, observed: early.live };
  await early?.drop();
  return { open: await openTargets(project.targets, cwd, io, command) };
}

/** The targets the run is about, from apiproducts.yaml alone; undefined when reading early is not for this run. */
function runTargets(config: ReturnType<typeof readConfig>, options: ProjectOptions): TargetConfig[] | undefined {
  if (hasErrors(config.diagnostics)) return undefined;
  const checked = checkConfig(config, options.cwd);
  if (!checked.config || hasErrors(checked.diagnostics)) return undefined;
  const all = checked.config.targets;
  if (options.targets.some((name) => !all.some((target) => target.name === name))) return undefined;
  const targets = options.targets.length ? all.filter((target) => options.targets.includes(target.name)) : all;
  return targets.some((target) => target.sandbox) ? undefined : targets;
}

/**
 * `later`: the providers better read once the products are known (whose reads depend on the
 * desired states, or that drift reads owned-only); makePlan reads those itself.
 */
async function startObserving(
  targets: TargetConfig[],
  cwd: string,
  io: Pick<Io, 'env' | 'err' | 'secrets'>,
  command: string,
  later: (provider: Provider) => boolean = () => false,
): Promise<EarlyTargets | undefined> {
  if (targets.length === 0) return undefined;
  // Once dropped, a retry does not wait: a target that refuses connections fails its few tries
  // at once, instead of keeping the process alive for seconds after it reported the load errors.
  let dropped = false;
  let cutWaits = (): void => undefined;
  const waitsCut = new Promise<void>((resolve) => (cutWaits = resolve));
  const sleep = (ms: number): Promise<void> =>
    dropped ? Promise.resolve() : new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      void waitsCut.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  let open: OpenTargets;
  try {
    open = await openTargets(targets, cwd, io, command, { sleep });
  } catch {
    return undefined; // raised again, in its place, when the targets are opened after loading
  }
  const now = [...open.providers].filter(([, provider]) => !later(provider));
  // Those whose reads depend on the desired states are observed by makePlan, from what they read ahead.
  for (const [, provider] of now) if (provider.readsByScope) provider.readAhead?.();
  const live = observeTargets(new Map(now.filter(([, provider]) => !provider.readsByScope)));
  // Awaited by makePlan when the project is valid, dropped otherwise: never an unhandled rejection.
  live.catch(() => undefined);
  const drop = async (): Promise<void> => {
    dropped = true;
    cutWaits();
    await open.close();
  };
  return { open, names: targets.map((target) => target.name), live, drop };
}

function sameNames(names: readonly string[], targets: readonly TargetConfig[]): boolean {
  return names.length === targets.length && targets.every((target, index) => target.name === names[index]);
}
