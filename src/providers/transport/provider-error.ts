/**
 * A target answered with an error or could not be reached. The message is one line, names the
 * HTTP status and the product, and never contains a credential.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** Whether retrying the same request may succeed (429, 5xx, network). */
    readonly retryable: boolean = false,
    /** Seconds the server asked us to wait (`Retry-After`). */
    readonly retryAfterSeconds?: number,
    /**
     * The target cannot be trusted with any further create in this apply: the executor
     * (apply/apply-plan.ts) skips, never attempts, the creates of this target that have not
     * started. Set when a create landed without apiproducts' ownership marker: every later create
     * would leave one more product that the next run does not recognise and creates again.
     */
    readonly haltsTarget: boolean = false,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/**
 * The one wording, for every vendor, of a create whose product the server stored (or answered)
 * without apiproducts' ownership marker. `marker` says what was dropped, `target` where to import.
 */
export function ownershipDropped(marker: string, target: string): ProviderError {
  return new ProviderError(
    `the portal dropped apiproducts' ownership marker (${marker}) from the created product, so a later run would not recognise it and would create it again; delete it in the portal or adopt it with \`apiproducts import --target ${target}\`, and report the portal version`,
    undefined,
    false,
    undefined,
    true,
  );
}
