/** A JSON Schema (2020-12) node, as plain data. */
export type JsonSchema = { [keyword: string]: unknown };

/**
 * What one vendor adds to the neutral JSON Schemas of `schemas/`: the keys only its targets and
 * bindings have. `schemas/*.json` are generated from the neutral parts and these (scripts/
 * write-schemas.ts); a fragment may refer to the neutral `$defs` (`#/$defs/stringList`, ...).
 */
export interface VendorSchema {
  /** Keys of a target entry in apiproducts.yaml that only this vendor reads (e.g. `portal`). */
  target: Record<string, JsonSchema>;
  /**
   * Keys of a target entry that name the environment variable holding a credential, with what it
   * holds (e.g. `tokenEnv`). Never a value: the schema makes each an environment variable name.
   */
  credentials: Record<string, string>;
  /** Keys of a product's binding block that only this vendor reads (e.g. `proxies`). */
  binding: Record<string, JsonSchema>;
  /** Target keys this vendor cannot do without: required in the schema for its targets, so editors say so too. */
  requiredTarget?: string[];
}
