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

/**
 * A logger that never throws into credchain: a broken logger must not turn a failed background
 * refresh into a crash, or a cache read failure into a failed `getToken`.
 */
export function guardLogger(logger: Logger): Logger {
  if (logger === noopLogger) return logger;
  const guard =
    (level: keyof Logger) =>
    (message: string, ...details: unknown[]): void => {
      try {
        const returned: unknown = (logger[level] as (...args: unknown[]) => unknown)(
          message,
          ...details,
        );
        // An async logger method that rejects must not become an unhandled rejection.
        if (
          typeof returned === "object" &&
          returned !== null &&
          typeof (returned as PromiseLike<unknown>).then === "function"
        ) {
          (returned as PromiseLike<unknown>).then(undefined, () => {});
        }
      } catch {
        // Nowhere left to report to.
      }
    };
  return { debug: guard("debug"), info: guard("info"), warn: guard("warn"), error: guard("error") };
}
