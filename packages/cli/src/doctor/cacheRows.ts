import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { defaultCacheDirectory } from "@credchain/cache-file";
import type { DoctorRow } from "./DoctorRow.js";

type Env = Readonly<Record<string, string | undefined>>;

const KEYRING_TIMEOUT_IN_MS = 5_000;

async function directoryRow(env: Env): Promise<DoctorRow> {
  const fromEnv = env["CREDCHAIN_CACHE_DIR"];
  let directory: string;
  try {
    directory =
      fromEnv !== undefined && fromEnv.trim() !== ""
        ? fromEnv
        : defaultCacheDirectory({
            platform: process.platform,
            env,
            homedir: () => env["HOME"] ?? "",
          });
  } catch {
    return {
      check: "cache directory",
      status: "warn",
      detail: "no home directory: set CREDCHAIN_CACHE_DIR for --cache",
    };
  }
  try {
    const info = await stat(directory);
    if (!info.isDirectory()) {
      return {
        check: "cache directory",
        status: "warn",
        detail: `${directory} is not a directory; --cache will fail`,
      };
    }
    await access(directory, constants.W_OK);
    return {
      check: "cache directory",
      status: "ok",
      detail: `${directory} (writable, mode ${(info.mode & 0o777).toString(8)})`,
    };
  } catch (error) {
    if ((error as { code?: unknown }).code !== "ENOENT") {
      return {
        check: "cache directory",
        status: "warn",
        detail: `${directory} is not writable; set CREDCHAIN_CACHE_DIR for --cache`,
      };
    }
  }
  // Missing is fine when the nearest existing parent lets --cache create it.
  for (let parent = dirname(directory); ; parent = dirname(parent)) {
    try {
      await access(parent, constants.W_OK);
      return {
        check: "cache directory",
        status: "ok",
        detail: `${directory} (created, mode 0700, on first --cache)`,
      };
    } catch (error) {
      if ((error as { code?: unknown }).code !== "ENOENT" || dirname(parent) === parent) {
        return {
          check: "cache directory",
          status: "warn",
          detail: `${directory} cannot be created under ${parent}; set CREDCHAIN_CACHE_DIR for --cache`,
        };
      }
    }
  }
}

function keyRow(env: Env): DoctorRow | undefined {
  const value = env["CREDCHAIN_CACHE_KEY"]?.trim();
  if (value === undefined || value === "") return undefined;
  const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(value)
    ? Buffer.from(value, value.includes("-") || value.includes("_") ? "base64url" : "base64")
    : undefined;
  return bytes?.byteLength === 32
    ? {
        check: "cache key",
        status: "ok",
        detail: "CREDCHAIN_CACHE_KEY is set (32 bytes; value not shown)",
      }
    : {
        check: "cache key",
        status: "warn",
        detail:
          "CREDCHAIN_CACHE_KEY is not base64 of 32 bytes; --cache will refuse it (openssl rand -base64 32)",
      };
}

interface KeyringEntry {
  getPassword(): Promise<string | null>;
}
interface KeyringModule {
  AsyncEntry: new (
    service: string,
    account: string,
    options?: { linux?: { store?: string } },
  ) => KeyringEntry;
}

/** Reads one entry, as `@credchain/cache-file` would (Secret Service only on Linux). */
async function probeKeyring(): Promise<void> {
  const { AsyncEntry } = (await import("@napi-rs/keyring")) as unknown as KeyringModule;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      new AsyncEntry("credchain", "doctor-probe", {
        linux: { store: "secret-service" },
      }).getPassword(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer in ${KEYRING_TIMEOUT_IN_MS} ms`)),
          KEYRING_TIMEOUT_IN_MS,
        );
        timer.unref();
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function keyringRow(haveKey: boolean): Promise<DoctorRow> {
  try {
    await probeKeyring();
    return {
      check: "keyring",
      status: "ok",
      detail: "the OS keyring answers; --cache keeps its key there",
    };
  } catch (error) {
    const why = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return {
      check: "keyring",
      status: haveKey ? "info" : "warn",
      detail: haveKey
        ? `unavailable (${why}); not needed: CREDCHAIN_CACHE_KEY is set`
        : `unavailable (${why}); for --cache set CREDCHAIN_CACHE_KEY="$(openssl rand -base64 32)"`,
    };
  }
}

/** The file cache `--cache` uses: its directory, its key, and the keyring. Only `warn`s: it is optional. */
export async function cacheRows(env: Env): Promise<DoctorRow[]> {
  const key = keyRow(env);
  return [
    await directoryRow(env),
    ...(key !== undefined ? [key] : []),
    await keyringRow(key?.status === "ok"),
  ];
}
