/**
 * Where credchain reports what happened, e.g. a failed background refresh. Messages never hold a
 * secret or a token. The default discards everything; register one under `Tokens.Logger`.
 */
export interface Logger {
  debug(message: string, ...details: unknown[]): void;
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

const ignore = (): void => {};

/** The default logger: discards everything. */
export const noopLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
