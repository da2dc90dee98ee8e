import {
  lookupInEntries,
  partitionEntries,
  type CacheAnswer,
  type PartitionEntries,
  type TokenCacheEngine,
} from "../cache/TokenCacheEngine.js";
import type { CredentialIdentity } from "./CredentialIdentity.js";
import { resolveTenantId, validateTenantId, type TenantPolicy } from "./tenant.js";

/** A call's tenant, resolved, with its cache partitions. One shape for every slot. */
export class TenantSlot {
  /** The partitions' entry maps, kept so a hit skips the lookup by partition name. */
  nocaeEntries: PartitionEntries | undefined = undefined;
  caeEntries: PartitionEntries | undefined = undefined;

  constructor(
    readonly tenantId: string,
    readonly nocae: string,
    readonly cae: string,
  ) {}
}

/**
 * The tenant a call goes to and its cache partitions, by requested tenant id. A tenant allowed
 * once is allowed again (the policy is fixed at construction): later calls skip the id check, the
 * allow-list and the partition lookup, one map lookup in all. Bounded, like the engine's partition
 * names. Internal to `TokenCredentialBase`.
 */
export class TenantSlots {
  readonly #engine: TokenCacheEngine;
  /** The tenant rules, when the credential has a configured tenant. */
  readonly #policy: TenantPolicy | undefined;
  /** Requested tenant id -> the tenant it resolved to and its partitions. */
  readonly #allowed = new Map<string, TenantSlot>();
  #default: TenantSlot | undefined;

  constructor(engine: TokenCacheEngine, identity: CredentialIdentity) {
    this.#engine = engine;
    this.#policy =
      identity.tenantId === undefined
        ? undefined
        : {
            tenantId: identity.tenantId,
            additionallyAllowedTenants: identity.additionallyAllowedTenants ?? [],
            disableMultiTenantAuth: identity.disableMultiTenantAuth === true,
          };
  }

  /** The slot for `requested` (`undefined`: the configured tenant). Throws for a disallowed tenant. */
  slotFor(requested: string | undefined): TenantSlot {
    const policy = this.#policy;
    if (policy !== undefined) {
      if (requested === undefined) return (this.#default ??= this.#slot(policy.tenantId));
      let slot = this.#allowed.get(requested);
      if (slot === undefined) {
        slot = this.#slot(resolveTenantId(policy, requested));
        if (this.#allowed.size >= 1_000) this.#allowed.clear();
        this.#allowed.set(requested, slot);
      }
      return slot;
    }
    // No tenant policy (managed identity, Azure CLI): the caller's tenant, checked, else "".
    return this.#slot(
      requested === undefined ? "" : validateTenantId(requested, "options.tenantId"),
    );
  }

  /** `engine.lookup` through the slot's kept map, asked for again once the engine dropped it. */
  lookup(slot: TenantSlot, cae: boolean, key: string): CacheAnswer | undefined {
    const engine = this.#engine;
    let entries = cae ? slot.caeEntries : slot.nocaeEntries;
    // An empty map may be one the engine dropped (it empties a map before dropping it).
    if (entries === undefined || entries.size === 0) {
      entries = partitionEntries(engine, cae ? slot.cae : slot.nocae);
      if (entries === undefined) return undefined;
      if (cae) slot.caeEntries = entries;
      else slot.nocaeEntries = entries;
    }
    return lookupInEntries(engine, entries, key);
  }

  #slot(tenantId: string): TenantSlot {
    const engine = this.#engine;
    return new TenantSlot(
      tenantId,
      engine.partition(tenantId, false),
      engine.partition(tenantId, true),
    );
  }
}
