import type { EntraClientPackage } from "@credchain/core/credential";
import { VERSION } from "./version.js";

/** What this package's credentials send as `x-client-sku` / `x-client-ver`. */
export const CLIENT_PACKAGE: EntraClientPackage = {
  sku: "credchain.client-certificate",
  version: VERSION,
};
