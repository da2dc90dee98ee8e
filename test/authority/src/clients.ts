import { createHash, timingSafeEqual } from "node:crypto";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from "./constants.js";

/** An application registration the authority issues tokens to. */
export interface RegisteredClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Tenants the application exists in; omitted means every tenant. */
  readonly tenants?: readonly string[];
  /** App roles placed in the `roles` claim of issued tokens. */
  readonly roles?: readonly string[];
}

/** The client registered when `options.clients` is omitted. */
export const DEMO_CLIENT: RegisteredClient = {
  clientId: DEMO_CLIENT_ID,
  clientSecret: DEMO_CLIENT_SECRET,
};

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

interface ClientRecord {
  readonly client: RegisteredClient;
  readonly secretDigest: Buffer;
  readonly tenants: ReadonlySet<string> | undefined;
}

/** Outcome of authenticating a token request's client. */
export type ClientCheck =
  | { readonly ok: true; readonly client: RegisteredClient }
  | {
      readonly ok: false;
      readonly reason: "unknown-client" | "missing-secret" | "wrong-secret";
    };

/**
 * The registered applications. A tenant "exists" if some client is registered in it (or some
 * client is unrestricted, or `tenants` lists it), mirroring Entra's distinction between an
 * unknown tenant (AADSTS90002) and an app missing from a known tenant (AADSTS700016).
 */
export class ClientRegistry {
  readonly #clients: ReadonlyMap<string, ClientRecord>;
  readonly #knownTenants: ReadonlySet<string> | undefined;

  constructor(clients: readonly RegisteredClient[], tenants: readonly string[] | undefined) {
    const map = new Map<string, ClientRecord>();
    for (const client of clients) {
      if (typeof client.clientId !== "string" || client.clientId === "") {
        throw new TypeError("Registered clients need a non-empty clientId");
      }
      if (typeof client.clientSecret !== "string" || client.clientSecret === "") {
        throw new TypeError(`Registered client ${client.clientId} needs a non-empty clientSecret`);
      }
      map.set(client.clientId, {
        client,
        secretDigest: digest(client.clientSecret),
        tenants: client.tenants === undefined ? undefined : new Set(client.tenants),
      });
    }
    this.#clients = map;
    if (tenants !== undefined) {
      this.#knownTenants = new Set(tenants);
    } else if ([...map.values()].every((r) => r.tenants !== undefined)) {
      this.#knownTenants = new Set([...map.values()].flatMap((r) => [...(r.tenants ?? [])]));
    } else {
      this.#knownTenants = undefined;
    }
  }

  tenantExists(tenant: string): boolean {
    return this.#knownTenants === undefined || this.#knownTenants.has(tenant);
  }

  /** Authenticates `clientId`/`secret` for `tenant`; the secret compare is constant-time. */
  check(tenant: string, clientId: string, secret: string | undefined): ClientCheck {
    const record = this.#clients.get(clientId);
    if (record === undefined || (record.tenants !== undefined && !record.tenants.has(tenant))) {
      return { ok: false, reason: "unknown-client" };
    }
    if (secret === undefined || secret === "") {
      return { ok: false, reason: "missing-secret" };
    }
    if (!timingSafeEqual(record.secretDigest, digest(secret))) {
      return { ok: false, reason: "wrong-secret" };
    }
    return { ok: true, client: record.client };
  }
}
