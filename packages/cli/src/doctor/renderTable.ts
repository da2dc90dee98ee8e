import type { DoctorRow } from "./DoctorRow.js";

/** The rows as an aligned plain-text table with a header, for a terminal or a CI log. */
export function renderTable(rows: readonly DoctorRow[]): string {
  const header: DoctorRow = {
    check: "CHECK",
    status: "STATUS" as DoctorRow["status"],
    detail: "DETAIL",
  };
  const all = [header, ...rows];
  const checkWidth = Math.max(...all.map((row) => row.check.length));
  const statusWidth = Math.max(...all.map((row) => row.status.length));
  return all
    .map((row) =>
      `${row.check.padEnd(checkWidth)}  ${row.status.padEnd(statusWidth)}  ${row.detail}`.trimEnd(),
    )
    .join("\n")
    .concat("\n");
}
