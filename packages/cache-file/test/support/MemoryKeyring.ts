import type { KeyringAdapter } from "../../src/KeyringAdapter.js";

/**
 * A keyring test double implementing the adapter interface: a map, or a keyring that is down.
 * Shared `entries` let two "processes" (resolvers) see one keyring.
 */
export class MemoryKeyring implements KeyringAdapter {
  readonly name = "memory-keyring";
  readonly entries: Map<string, string>;
  readonly unavailable: string | undefined;
  gets = 0;
  sets = 0;

  constructor(options: { entries?: Map<string, string>; unavailable?: string } = {}) {
    this.entries = options.entries ?? new Map();
    this.unavailable = options.unavailable;
  }

  async getPassword(service: string, account: string): Promise<string | null> {
    this.gets++;
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (this.unavailable !== undefined) throw new Error(this.unavailable);
    return this.entries.get(`${service}/${account}`) ?? null;
  }

  async setPassword(service: string, account: string, password: string): Promise<void> {
    this.sets++;
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (this.unavailable !== undefined) throw new Error(this.unavailable);
    this.entries.set(`${service}/${account}`, password);
  }
}
