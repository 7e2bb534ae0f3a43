/**
 * The pace of a target's gate (traffic.ts): request starts per second once the server refused
 * one with a 429. The first refusal paces at RATE_BACKOFF of what the last RATE_WINDOW_MS
 * granted; a later one at least MEASURED_INTERVAL_MS on measures the server's rate, and the pace
 * settles just under it (TCP CUBIC's plateau, then its convex probe).
 */
/**
 * Successes within this window are what the server granted when it starts refusing: short, so
 * that the time spent waiting before it does not count as a low rate.
 */
const RATE_WINDOW_MS = 250;
/** A shorter history overstates the rate (a burst allowance answered at once). */
const MIN_RATE_WINDOW_MS = 100;
/**
 * Paced under the estimate, so that the server's bucket refills. 0.9 left 15–20 % of a 100 req/s
 * bucket unused through the CLI (the probe needs seconds to climb back); at 0.95 the probe is
 * back at the limit within a second, so a refusal costs less than it did.
 */
const RATE_BACKOFF = 0.95;
/**
 * Two refusals at least this far apart measure the server's rate itself: the bucket was empty at
 * both, so what it granted in between is what it refilled (less any refill it could not hold
 * while we sent slower, so never more than the true rate). Shorter intervals count too few
 * answers to be exact.
 */
const MEASURED_INTERVAL_MS = 500;
/** An interval's measure under this share of the pace is not trusted (see slowDown). */
const TRUSTED_SHARE = 0.8;
/** Paced under a measured rate: the measure is a lower bound already, so less margin. */
const MEASURED_BACKOFF = 0.97;
/** The pace climbs back to this share of the last measured rate quickly, then stays (CUBIC's plateau). */
const PLATEAU = 0.99;
/** Per second, the pace closes this share of its gap to the plateau. */
const APPROACH = 2;
/**
 * At the plateau the pace holds for PLATEAU_HOLD_MS, then probes for more, faster the longer
 * nothing is refused (CUBIC's convex part: RATE_PROBE of the rate per second, per second
 * probed). Each refusal costs a write its Retry-After, which at the end of an apply lengthens the
 * whole run, so probing at once past a rate just measured does not pay.
 */
const PLATEAU_HOLD_MS = 5000;
const RATE_PROBE = 0.01;
/**
 * Before any rate was measured the pace rests on a short window's count, which a burst allowance
 * inflates and a small one deflates: it climbs 25 % per second, so that the next refusal (which
 * measures) comes soon.
 */
const UNMEASURED_PROBE = 0.25;
const MIN_RATE_STEP = 0.5;
const MIN_RATE = 0.5;

export class Pace {
  /** Starts per second; undefined until the first refusal. */
  private rate: number | undefined;
  private firstStartAt: number | undefined;
  /** When the successes of the last RATE_WINDOW_MS came back. */
  private readonly successes: number[] = [];
  /** The server's rate as last measured between two refusals; the plateau is just under it. */
  private serverRate: number | undefined;
  /** When the last 429 came, and the successes since: between two refusals they measure the rate. */
  private lastRefusalAt: number | undefined;
  private grantedSinceRefusal = 0;
  /** When the pace reached its plateau (it holds there, then probes faster the longer ago that was). */
  private atPlateauSince: number | undefined;

  get perSecond(): number | undefined {
    return this.rate;
  }

  /** A new phase (apply after the plan's reads) is measured from its own requests. */
  beginPhase(): void {
    this.firstStartAt = undefined;
    this.successes.length = 0;
    this.lastRefusalAt = undefined;
  }

  started(now: number): void {
    this.firstStartAt ??= now;
  }

  succeeded(now: number): void {
    this.successes.push(now);
    this.grantedSinceRefusal++;
    if (this.rate !== undefined) this.rate += this.rateStep(now) / this.rate;
  }

  /**
   * A 429 came: what the last RATE_WINDOW_MS granted, and the rate measured since the previous
   * refusal (when that was at least MEASURED_INTERVAL_MS ago in this phase). Starts the next interval.
   */
  refused(now: number): { granted: number; measured: number | undefined } {
    const since = this.lastRefusalAt;
    const count = this.grantedSinceRefusal;
    this.lastRefusalAt = now;
    this.grantedSinceRefusal = 0;
    const measured = since === undefined || now - since < MEASURED_INTERVAL_MS || count === 0 ? undefined : count / ((now - since) / 1000);
    return { granted: this.grantedRate(now), measured };
  }

  /**
   * The pace after a refusal. An interval's measure is the server's rate when the pace stayed
   * above it throughout; one far under the pace (less than TRUSTED_SHARE of it) says the pace was
   * under the server's rate for part of the interval and the bucket overflowed, so the pace goes
   * under what the last RATE_WINDOW_MS granted instead, with no plateau: it climbs fast, to
   * measure again soon.
   */
  slowDown(granted: number, measured: number | undefined): void {
    const trusted = measured !== undefined && this.rate !== undefined && measured >= this.rate * TRUSTED_SHARE;
    if (trusted) {
      this.rate = Math.max(MIN_RATE, Math.min(this.rate!, measured) * MEASURED_BACKOFF);
      this.serverRate = measured;
    } else if (granted > 0) {
      this.rate = Math.max(MIN_RATE, Math.min(this.rate ?? Infinity, granted) * RATE_BACKOFF);
      this.serverRate = undefined;
    }
    this.atPlateauSince = undefined;
  }

  /**
   * The pace's growth per second: quickly back up to the plateau under the last measured rate,
   * then a probe that speeds up the longer nothing is refused.
   */
  private rateStep(now: number): number {
    const rate = this.rate!;
    if (this.serverRate === undefined) return Math.max(rate * UNMEASURED_PROBE, MIN_RATE_STEP);
    const plateau = this.serverRate * PLATEAU;
    if (rate < plateau) return Math.max((plateau - rate) * APPROACH, MIN_RATE_STEP);
    this.atPlateauSince ??= now;
    const probing = (now - this.atPlateauSince - PLATEAU_HOLD_MS) / 1000;
    return probing <= 0 ? 0 : Math.max(rate * RATE_PROBE * probing, MIN_RATE_STEP);
  }

  /** Successes per second over the last RATE_WINDOW_MS (or since the first request, if sooner). */
  private grantedRate(now: number): number {
    while (this.successes.length > 0 && this.successes[0]! < now - RATE_WINDOW_MS) this.successes.shift();
    if (this.successes.length === 0) return 0;
    const window = Math.min(RATE_WINDOW_MS, Math.max(MIN_RATE_WINDOW_MS, now - (this.firstStartAt ?? now)));
    return this.successes.length / (window / 1000);
  }
}
