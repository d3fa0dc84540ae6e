// The two ways an import can fail, as the activity reports them to Temporal.

/**
 * The source or its content is unusable: an unsupported address, a missing file, a corrupt zip,
 * an empty or garbage list, too many bad rows. Retrying cannot help (non-retryable).
 */
export class InvalidSiteListError extends Error {
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'InvalidSiteListError';
  }
}

/** The source could not be reached or read to the end right now (retryable). */
export class SiteListUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SiteListUnreachableError';
  }
}
