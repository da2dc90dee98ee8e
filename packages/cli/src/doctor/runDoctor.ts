import type { CliIo } from "../CliIo.js";
import { ExitCode } from "../ExitCode.js";
import { cacheRows } from "./cacheRows.js";
import { credentialRows } from "./credentialRows.js";
import type { DoctorRow } from "./DoctorRow.js";
import { probeAuthority } from "./probeAuthority.js";
import { displayProxy, proxyForUrl } from "./proxyForUrl.js";
import { renderTable } from "./renderTable.js";

const PUBLIC_CLOUD = "https://login.microsoftonline.com";

/** The authority credentials use: `AZURE_AUTHORITY_HOST` (a host or a URL), else the public cloud. */
function authorityUrl(env: CliIo["env"]): { url: URL | undefined; row: DoctorRow } {
  const configured = env["AZURE_AUTHORITY_HOST"]?.trim();
  const text = configured === undefined || configured === "" ? PUBLIC_CLOUD : configured;
  const source = text === PUBLIC_CLOUD ? "default (public cloud)" : "AZURE_AUTHORITY_HOST";
  try {
    const url = new URL(text.includes("://") ? text : `https://${text}`);
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new TypeError("not http(s)");
    return {
      url,
      row: { check: "authority", status: "info", detail: `${url.origin} (${source})` },
    };
  } catch {
    return {
      url: undefined,
      row: {
        check: "authority",
        status: "fail",
        detail: "AZURE_AUTHORITY_HOST is not a host or an https URL",
      },
    };
  }
}

/**
 * Everything `credchain doctor` checks, printed as one table on stdout; resolves with exit code 1
 * when something found blocks token acquisition.
 */
export async function runDoctor(io: CliIo): Promise<number> {
  const credentials = await credentialRows(io.env);
  const rows: DoctorRow[] = [...credentials.rows];
  const { url, row } = authorityUrl(io.env);
  rows.push(row);
  if (url !== undefined) {
    const proxy = proxyForUrl(url, io.env);
    rows.push({
      check: "proxy",
      status: "info",
      detail:
        proxy === undefined ? "none (direct)" : `${displayProxy(proxy)} (from the environment)`,
    });
    const network = await probeAuthority({ authority: url, proxy, now: Date.now });
    // Only credentials that talk to the authority are blocked by it; otherwise say so, don't fail.
    rows.push(
      ...network.map((found) =>
        found.status === "fail" && !credentials.usesAuthority
          ? {
              ...found,
              status: "warn" as const,
              detail: `${found.detail} (no configured credential uses it)`,
            }
          : found,
      ),
    );
  }
  rows.push(...(await cacheRows(io.env)));
  io.stdout.write(renderTable(rows));
  const blocking = rows.filter((found) => found.status === "fail");
  if (blocking.length > 0) {
    io.stderr.write(
      `credchain doctor: ${blocking.length} problem${blocking.length === 1 ? "" : "s"} block token acquisition: ${blocking.map((found) => found.check).join(", ")}\n`,
    );
    return ExitCode.failed;
  }
  return ExitCode.ok;
}
