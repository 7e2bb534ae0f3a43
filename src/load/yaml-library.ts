import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

/**
 * The `yaml` library, loaded when first needed: it checks and locates text that is not plain
 * (yaml-check.ts, locator.ts, fast-locator.ts's fallback), and most runs read plain text only.
 * Importing it cost about 20 ms of every run's start, before the first request (an ES module
 * import of a CommonJS package also scans it for its export names; require does not).
 */
let library: typeof Yaml | undefined;

export function yamlLibrary(): typeof Yaml {
  return (library ??= createRequire(import.meta.url)('yaml') as typeof Yaml);
}
