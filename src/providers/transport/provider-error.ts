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
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
