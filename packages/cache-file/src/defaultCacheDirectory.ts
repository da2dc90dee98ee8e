import { homedir } from "node:os";
import { posix, win32 } from "node:path";

/** What the default directory depends on, so it can be computed for any platform in tests. */
export interface CacheDirectoryEnvironment {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  /** Called only when the home directory is needed; `os.homedir()` can throw in bare containers. */
  homedir: () => string;
}

/** The running process's platform, environment and home directory. */
export const processEnvironment: CacheDirectoryEnvironment = {
  platform: process.platform,
  env: process.env,
  homedir,
};

/**
 * The per-user cache directory for credchain: the place each platform reserves for data that
 * can be recreated, which is what a token cache is.
 */
export function defaultCacheDirectory(
  environment: CacheDirectoryEnvironment = processEnvironment,
): string {
  const { platform, env } = environment;
  // Platform conventions use the platform's separators even when computed elsewhere (tests).
  const paths = platform === "win32" ? win32 : posix;
  const join = (...parts: string[]): string => paths.join(...parts);
  switch (platform) {
    case "win32":
      return join(
        nonEmpty(env["LOCALAPPDATA"]) ?? join(environment.homedir(), "AppData", "Local"),
        "credchain",
      );
    case "darwin":
      return join(environment.homedir(), "Library", "Caches", "credchain");
    default: {
      // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
      const xdg = nonEmpty(env["XDG_CACHE_HOME"]);
      const base =
        xdg !== undefined && posix.isAbsolute(xdg) ? xdg : join(environment.homedir(), ".cache");
      return join(base, "credchain");
    }
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
