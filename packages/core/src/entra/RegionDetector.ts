import type { Clock } from "../Clock.js";
import { sleep } from "../http/abortable.js";
import type { HttpTransport } from "../http/HttpTransport.js";
import { NodeHttpTransport } from "../http/NodeHttpTransport.js";

/** IMDS's compute location (the region this VM runs in, as plain text), under the IMDS origin. */
const IMDS_REGION_PATH = "/metadata/instance/compute/location?format=text&api-version=2021-01-01";
const IMDS_ORIGIN = "http://169.254.169.254";
/** IMDS answers within milliseconds where it exists; off Azure the request would hang instead. */
export const IMDS_REGION_TIMEOUT_IN_MS = 1_000;

/** What a detector reads. Injectable, so tests point IMDS at loopback and use a manual clock. */
export interface RegionDetectorOptions {
  /**
   * Read once, at construction: `REGION_NAME`, and `AZURE_POD_IDENTITY_AUTHORITY_HOST` (where IMDS
   * is, as for managed identity; tests point it at loopback). Default IMDS: 169.254.169.254.
   */
  env: Readonly<Record<string, string | undefined>>;
  clock: Clock;
  transport?: HttpTransport;
  timeoutInMs?: number;
}

/**
 * Finds the Azure region this process runs in: `REGION_NAME` (App Service, Functions), else IMDS,
 * asked once (a VM does not move; off Azure, one timed-out probe is enough), with a 1 s deadline.
 * Undefined when neither knows; a credential then uses the global authority.
 */
export class RegionDetector {
  readonly #options: RegionDetectorOptions;
  readonly #fromEnvironment: string | undefined;
  readonly #imdsUrl: string;
  #imds: Promise<string | undefined> | undefined;

  constructor(options: RegionDetectorOptions) {
    this.#options = options;
    const region = options.env["REGION_NAME"]?.trim().toLowerCase().replace(/\s+/g, "");
    this.#fromEnvironment = region === "" ? undefined : region;
    const origin = options.env["AZURE_POD_IDENTITY_AUTHORITY_HOST"]?.trim() || IMDS_ORIGIN;
    this.#imdsUrl = `${origin.replace(/\/+$/, "")}${IMDS_REGION_PATH}`;
  }

  /** How many times IMDS was asked (0 or 1): for tests and diagnostics. */
  get imdsRequests(): number {
    return this.#imds === undefined ? 0 : 1;
  }

  detect(): Promise<string | undefined> {
    if (this.#fromEnvironment !== undefined) return Promise.resolve(this.#fromEnvironment);
    this.#imds ??= this.#askImds();
    return this.#imds;
  }

  async #askImds(): Promise<string | undefined> {
    const { clock, timeoutInMs = IMDS_REGION_TIMEOUT_IN_MS } = this.#options;
    const imdsUrl = this.#imdsUrl;
    const transport = this.#options.transport ?? new NodeHttpTransport({ maxResponseBytes: 1_024 });
    const controller = new AbortController();
    // The deadline reads the injected clock, like every other time decision.
    const deadline = sleep(clock, timeoutInMs, controller.signal).then(
      () => {
        controller.abort();
        return undefined;
      },
      () => undefined,
    );
    const answer = transport
      .send({
        method: "GET",
        url: imdsUrl,
        headers: { metadata: "true" },
        signal: controller.signal,
      })
      .then(
        (response) => {
          const region = response.body.trim().toLowerCase();
          return response.status === 200 && /^[a-z][a-z0-9]{1,39}$/.test(region)
            ? region
            : undefined;
        },
        () => undefined,
      );
    try {
      return await Promise.race([answer, deadline]);
    } finally {
      controller.abort();
      (transport as { close?: () => void }).close?.();
    }
  }
}

let processDetector: RegionDetector | undefined;

/** The process-wide detector (IMDS asked at most once per process), created on first use. */
export function processRegionDetector(clock: Clock): RegionDetector {
  processDetector ??= new RegionDetector({ env: process.env, clock });
  return processDetector;
}
