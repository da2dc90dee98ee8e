/** The links of the default chain, in order. */
export const LINK_NAMES = [
  "EnvironmentCredential",
  "WorkloadIdentityCredential",
  "ManagedIdentityCredential",
  "AzureCliCredential",
] as const;

/** One link's class name. */
export type LinkName = (typeof LINK_NAMES)[number];

/**
 * `AZURE_TOKEN_CREDENTIALS`: `dev` (the Azure CLI), `prod` (environment, workload identity,
 * managed identity), or one link's class name (any case). Unset or empty: every link. Anything
 * else is a `TypeError`: a typo must not silently try credentials the user meant to exclude.
 */
export function selectLinks(value: string | undefined): readonly LinkName[] {
  const wanted = value?.trim() ?? "";
  if (wanted === "") return LINK_NAMES;
  const lower = wanted.toLowerCase();
  if (lower === "dev") return ["AzureCliCredential"];
  if (lower === "prod") {
    return ["EnvironmentCredential", "WorkloadIdentityCredential", "ManagedIdentityCredential"];
  }
  const one = LINK_NAMES.find((name) => name.toLowerCase() === lower);
  if (one !== undefined) return [one];
  throw new TypeError(
    `DefaultAzureCredential: AZURE_TOKEN_CREDENTIALS must be "dev", "prod" or one of ${LINK_NAMES.join(", ")}; ` +
      `got a value of ${wanted.length} characters that is none of them. Unset it to try every credential.`,
  );
}
