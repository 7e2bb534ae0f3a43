import { createRequire } from 'node:module';
import type * as RedosDetector from 'redos-detector';

/**
 * redos-detector, loaded when a pattern is first checked: most runs have no name pattern, and
 * importing the package cost about 20 ms of every run's start (ES modules also scan a CommonJS
 * file for its export names; require does not).
 */
let detector: typeof RedosDetector | undefined;
const loadDetector = (): typeof RedosDetector => (detector ??= createRequire(import.meta.url)('redos-detector') as typeof RedosDetector);

export type CompiledPattern = { regex: RegExp } | { problem: 'invalid' | 'unsafe'; detail: string };

/**
 * How far redos-detector explores before giving up. A refusal at the limit is a refusal: a
 * pattern that needs more steps than this to prove safe is not a name pattern. Steps, not a
 * timeout, so that the answer is the same on a loaded CI machine; a name pattern takes under
 * 200 steps, and the limit is reached in well under a second.
 */
const MAX_STEPS = 5000;

/**
 * A `name-pattern` regular expression, compiled in unicode mode once it is known not to backtrack
 * catastrophically. The check is redos-detector's (https://github.com/tjenkinson/redos-detector):
 * it looks for inputs that the pattern can match in more than one way, which is what makes a
 * backtracking engine take exponential (or large polynomial) time; nested quantifiers (`(a+)+`)
 * and overlapping alternatives (`(a|a)*`) are the usual forms. A pattern it cannot parse (named
 * groups, some unicode classes) is refused too: an unchecked pattern is an unsafe one.
 */
export function compileNamePattern(pattern: string): CompiledPattern {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'u');
  } catch (error) {
    return { problem: 'invalid', detail: (error as Error).message.replace(/^Invalid regular expression: /, '') };
  }
  try {
    const result = loadDetector().isSafePattern(pattern, { unicode: true, maxSteps: MAX_STEPS });
    if (result.safe) return { regex };
    const why = result.error === 'hitMaxSteps' ? 'it has too many ways to match to check' : 'one name can match it in many ways, so a name that fails can take exponential time';
    return { problem: 'unsafe', detail: why };
  } catch (error) {
    return { problem: 'unsafe', detail: `it cannot be checked for catastrophic backtracking (${(error as Error).message.split('\n')[0]})` };
  }
}
