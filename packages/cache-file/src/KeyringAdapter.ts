/**
 * The slice of an OS keyring the cache needs: one secret string per service and account. The
 * default is `@napi-rs/keyring`; tests and unusual platforms can provide another.
 */
export interface KeyringAdapter {
  /** For messages, e.g. `"@napi-rs/keyring"`. */
  readonly name: string;
  /** The stored secret, or `null` when there is none. Rejects when the keyring is unusable. */
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
}

interface NapiAsyncEntry {
  getPassword(): Promise<string | null>;
  setPassword(password: string): Promise<void>;
}

interface NapiKeyringModule {
  AsyncEntry: new (
    service: string,
    account: string,
    options?: { linux?: { store?: "secret-service" | "keyutils" } },
  ) => NapiAsyncEntry;
}

/**
 * The OS keyring through `@napi-rs/keyring` (macOS Keychain, Windows Credential Manager, the
 * Secret Service over D-Bus on Linux). The module is an optional dependency with a native binary,
 * so it is imported only when first needed and its absence is an ordinary rejection.
 *
 * On Linux the entry is pinned to the Secret Service: the library would otherwise fall back to the
 * kernel keyring, which forgets everything at reboot (and with it the key of every cache file).
 */
export function napiKeyring(): KeyringAdapter {
  let loaded: Promise<NapiKeyringModule> | undefined;
  const load = (): Promise<NapiKeyringModule> => {
    loaded ??= import("@napi-rs/keyring").then(
      (module) => module as unknown as NapiKeyringModule,
      (error: unknown) => {
        loaded = undefined;
        throw new Error(
          "the optional dependency @napi-rs/keyring could not be loaded (not installed, or no prebuilt binary for this platform)",
          { cause: error },
        );
      },
    );
    return loaded;
  };
  const entry = async (service: string, account: string): Promise<NapiAsyncEntry> => {
    const { AsyncEntry } = await load();
    // Throws right here when the Secret Service (or D-Bus itself) is missing.
    return new AsyncEntry(service, account, { linux: { store: "secret-service" } });
  };
  return {
    name: "@napi-rs/keyring",
    async getPassword(service, account) {
      return (await entry(service, account)).getPassword();
    },
    async setPassword(service, account, password) {
      await (await entry(service, account)).setPassword(password);
    },
  };
}
