/** How one `credchain doctor` finding affects getting a token. */
export type DoctorStatus = "ok" | "info" | "warn" | "fail";

/** One line of the `credchain doctor` table. `fail` means token acquisition is blocked. */
export interface DoctorRow {
  readonly check: string;
  readonly status: DoctorStatus;
  /** What was found and, when it is not ok, what to do. Never a secret. */
  readonly detail: string;
}
