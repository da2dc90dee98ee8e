import type { ManagedIdentityId } from "./ManagedIdentityId.js";

/** The query parameter name a source uses for each kind of user-assigned id. */
export interface UserAssignedQueryNames {
  readonly clientId: string;
  readonly resourceId: string;
  readonly objectId: string;
}

/** App Service and Service Fabric (api-version 2019-08-01 / 2019-07-01-preview). */
export const MI_RES_ID_NAMES: UserAssignedQueryNames = {
  clientId: "client_id",
  resourceId: "mi_res_id",
  objectId: "object_id",
};

/** IMDS (api-version 2018-02-01) spells the resource id `msi_res_id`. */
export const IMDS_NAMES: UserAssignedQueryNames = {
  clientId: "client_id",
  resourceId: "msi_res_id",
  objectId: "object_id",
};

/** Adds the user-assigned identity, if any, to `url` under the source's parameter name. */
export function addUserAssignedQuery(
  url: URL,
  identity: ManagedIdentityId,
  names: UserAssignedQueryNames,
): void {
  if (identity.kind !== "system") url.searchParams.set(names[identity.kind], identity.value);
}
