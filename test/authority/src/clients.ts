import { createHash, timingSafeEqual } from "node:crypto";
import { registerCertificates, type RegisteredCertificate } from "./clientAssertion.js";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from "./constants.js";
import {
  registerFederatedCredentials,
  type FederatedCredential,
  type FederatedCredentials,
} from "./federatedCredentials.js";

/** An application registration the authority issues tokens to. */
export interface RegisteredClient {
  readonly clientId: string;
  /** A client secret (`client_secret_post` / `client_secret_basic`). */
  readonly clientSecret?: string;
  /**
   * PEM certificates the client may sign `private_key_jwt` assertions with (Certificates &
   * secrets > Certificates): looked up by the assertion's `x5t#S256` (or `x5t`).
   */
  readonly certificates?: readonly string[];
  /** Federated identity credentials: trusted issuer + subject (workload identity, GitHub OIDC). */
  readonly federatedCredentials?: readonly FederatedCredential[];
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
  readonly secretDigest: Buffer | undefined;
  readonly tenants: ReadonlySet<string> | undefined;
  readonly certificates: readonly RegisteredCertificate[];
  readonly federated: FederatedCredentials;
}

/** What a client assertion is checked against: the client's certificates and federated credentials. */
export interface AssertionCredentials {
  readonly client: RegisteredClient;
  readonly certificates: readonly RegisteredCertificate[];
  readonly federated: FederatedCredentials;
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
      const hasSecret = client.clientSecret !== undefined;
      if (hasSecret && (typeof client.clientSecret !== "string" || client.clientSecret === "")) {
        throw new TypeError(`Registered client ${client.clientId} needs a non-empty clientSecret`);
      }
      const certificates = registerCertificates(client.certificates ?? [], client.clientId);
      const federated = registerFederatedCredentials(
        client.federatedCredentials ?? [],
        client.clientId,
      );
      if (!hasSecret && certificates.length === 0 && federated.length === 0) {
        throw new TypeError(
          `Registered client ${client.clientId} needs a clientSecret, certificates or federatedCredentials`,
        );
      }
      map.set(client.clientId, {
        client,
        secretDigest: client.clientSecret === undefined ? undefined : digest(client.clientSecret),
        tenants: client.tenants === undefined ? undefined : new Set(client.tenants),
        certificates,
        federated,
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
    if (
      record.secretDigest === undefined ||
      !timingSafeEqual(record.secretDigest, digest(secret))
    ) {
      return { ok: false, reason: "wrong-secret" };
    }
    return { ok: true, client: record.client };
  }

  /** The credentials a client assertion for `clientId` in `tenant` is checked against. */
  assertionCredentials(tenant: string, clientId: string): AssertionCredentials | undefined {
    const record = this.#clients.get(clientId);
    if (record === undefined || (record.tenants !== undefined && !record.tenants.has(tenant))) {
      return undefined;
    }
    return {
      client: record.client,
      certificates: record.certificates,
      federated: record.federated,
    };
  }
}
