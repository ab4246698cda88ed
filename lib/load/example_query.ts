/**
 * One example query over the loaded tables, and a plain-text rendering of
 * query results, for the demo and the docs.
 *
 * @module
 */

/**
 * Chats per skill with their average length and transcript size: a join of
 * two tables by the record id, written so that DuckDB and PostgreSQL both run
 * it (camelCase column names are quoted).
 */
export const EXAMPLE_QUERY = `SELECT i."skillName" AS skill,
       count(*) AS chats,
       round(avg(i.duration) / 60.0, 1) AS avg_minutes,
       round(avg(l.lines), 1) AS avg_transcript_lines
FROM engagement_history.interaction AS i
LEFT JOIN (SELECT "engagementId", count(*) AS lines
           FROM engagement_history.transcript_lines
           GROUP BY "engagementId") AS l USING ("engagementId")
GROUP BY i."skillName"
ORDER BY chats DESC, skill
LIMIT 5`;

// East Asian wide characters take two columns of a terminal.
const WIDE =
  /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u;

function displayWidth(text: string): number {
  return [...text].reduce((width, char) => width + (WIDE.test(char) ? 2 : 1), 0);
}

/**
 * Renders rows as an aligned text table (numbers right-aligned, null as empty).
 *
 * @param rows query results, all with the same keys
 * @returns the lines of the table: header, rule, rows
 *
 * @example
 * ```ts
 * import { formatRows } from "./example_query.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(formatRows([{ skill: "Sales", chats: 12 }, { skill: "Billing", chats: 7 }]), [
 *   "skill    chats",
 *   "-------  -----",
 *   "Sales       12",
 *   "Billing      7",
 * ]);
 * ```
 */
export function formatRows(rows: readonly Record<string, unknown>[]): string[] {
  const names = Object.keys(rows[0] ?? {});
  const text = (value: unknown) => value === null || value === undefined ? "" : String(value);
  const numeric = names.map((name) =>
    rows.every((row) => row[name] === null || !Number.isNaN(Number(row[name])))
  );
  const widths = names.map((name) =>
    Math.max(displayWidth(name), ...rows.map((row) => displayWidth(text(row[name]))))
  );
  const cell = (value: string, index: number) => {
    const pad = " ".repeat(widths[index]! - displayWidth(value));
    return numeric[index] ? pad + value : value + pad;
  };
  return [
    names.map((name, index) => cell(name, index)).join("  ").trimEnd(),
    widths.map((width) => "-".repeat(width)).join("  "),
    ...rows.map((row) =>
      names.map((name, index) => cell(text(row[name]), index)).join("  ").trimEnd()
    ),
  ];
}
