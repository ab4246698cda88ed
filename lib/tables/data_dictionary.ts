/**
 * The data dictionary (docs/TABLES.md), generated from the table model.
 *
 * @module
 */

import { type ColumnModel, ENGAGEMENT_HISTORY_TABLES, type TableModel } from "./model.ts";

// Kept wrapped the way `deno fmt` wraps Markdown, so the generated file is fmt-clean.
const INTRO = `# Tables

Generated from \`lib/tables/model.ts\` by \`deno task docs\`; do not edit by hand.

\`deno task tables\` turns the raw Engagement History pages in \`data/raw\` into one table per node of a
record, as pipe-delimited CSV and as Parquet, in \`data/tables\`. Every table has the engagement's
\`engagementId\` and \`startTime\`, so any two tables join on \`engagementId\`.

## How values are written

- **Exactly as sent.** A text value is written unchanged: \`|\`, \`"\`, backslashes, CR, LF, tabs, emoji
  and any script stay as they are. Numbers keep the exact text the server sent (\`77.0\` stays \`77.0\`;
  an 18-digit id never goes through a float). Booleans are \`true\` / \`false\`.
- **CSV.** UTF-8, \`|\` between fields, a header row, LF line ends, RFC 4180 quoting: a value
  containing \`|\`, \`"\`, CR or LF is enclosed in \`"\` with inner quotes doubled.
- **Null is not the empty string.** In CSV, null (no value, or a missing field) is an empty unquoted
  field (\`a||c\`); the empty string is a quoted empty field (\`a|""|c\`). Polars, DuckDB and csv-parse
  (a \`cast\` that checks the quoting) read them back apart. In Parquet, null is null.
- **Ids are text** (type string) everywhere, in CSV and Parquet, whether LivePerson sent them as
  strings or numbers.
- **Times.** LivePerson string times (\`2015-05-28 04:46:23.209+0000\` or the \`T\` form) are written as
  ISO-8601 UTC (\`2015-05-28T04:46:23.209Z\`). Epoch-millisecond fields (\`…L\`, SDE \`serverTimeStamp\`)
  are kept as sent and get an ISO-8601 UTC twin with the suffix \`_iso\`. In Parquet, timestamps are
  \`Datetime(ms, UTC)\`. A string time names the same instant as its ISO form, so only the spelling
  changes (a non-UTC offset is converted to UTC); a string time that is not a time at all is kept,
  as sent, in \`extra\`. Where LivePerson sends both forms (\`startTime\` and \`startTimeL\`), both are
  kept: they do not always agree.
- **Sentinels → null**, per column as listed below (column "null when"): \`-1\` in epoch times;
  \`undefined\`, \`null\`, \`NA\` in fields LivePerson fills in itself (agent, skill, group and campaign
  names, visitorInfo, URLs); also the empty string in string times. Text people typed (transcript
  lines, visitor name, survey answers, SDE values) is never treated as a sentinel. Ids such as
  \`skillId\` \`-1\` are kept: -1 is LivePerson's own id for "unassigned".
- **\`{"string": x}\`** wrappers (seen in \`visitorError\` events) are written as x.
- **Types.** string and json → String; integer → Int64; float → Float64; boolean → Boolean;
  timestamp → Datetime(ms, UTC). JSON columns hold compact JSON text.

## Choices

- **\`campaign\` and \`visitorInfo\` are columns of \`interaction\`**, prefixed with their node
  (\`campaign_campaignId\`, \`visitorInfo_country\`). Both are one-to-one with the engagement, so
  separate tables would only add a join to the most common questions (which campaign, which country)
  and nothing else.
- **Unknown fields go to \`extra\`.** Every table ends with an \`extra\` column: a JSON object of the
  fields of that row the model does not know, keyed by their path in the record
  (\`{"info.newField": 3}\`), null when there are none. A value that does not fit its column's type (a
  \`total\` of \`"12,5"\`, a time that is not a time) is kept there too, under its path, and its cell is
  null. New columns instead would change a CSV header in the middle of a streaming run. The run
  summary (\`_summary.json\`) counts every unknown path and every such value.
- **Positions.** Child tables have \`position\`, the 0-based index in the source array, so
  (\`engagementId\`, \`position\`) is the key and the original order is kept. Tables under an SDE event
  add \`eventPosition\` (the event's index in \`sdes.events\`, joining to the event table's \`position\`).
- **SDE events.** One table per event type, named in snake_case (\`cartStatus\` → \`sde_cart_status\`).
  The spellings of the method example (\`viewProduct\`, \`formFillingError\`) go to the same tables as
  the appendix spellings (\`viewedProduct\`, \`visitorError\`); \`event_typeKey\` says which key was used.
  \`personalInfo\` payloads are read nested (\`personalInfo.personalInfo\`) or flat. Event-level fields
  get the prefix \`event_\`. An event of a type the model does not know goes whole, as JSON, to
  \`sde_other\`.
- **Duplicates.** An engagement seen more than once (overlapping windows, re-fetches) gives one row
  in \`interaction\` and one set of child rows: the most recently fetched copy wins.
`;

function escapeCell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

function nullWhen(column: ColumnModel): string {
  if (!column.nullWhen || column.nullWhen.length === 0) return "";
  return column.nullWhen.map((text) => text === "" ? '`""`' : `\`${text}\``).join(", ");
}

/** A Markdown table padded the way `deno fmt` pads it. */
function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const width = (text: string) => [...text].length;
  const widths = header.map((title, column) =>
    Math.max(3, width(title), ...rows.map((row) => width(row[column] ?? "")))
  );
  const line = (cells: readonly string[]) =>
    `| ${
      cells.map((cell, column) => cell + " ".repeat(widths[column]! - width(cell))).join(" | ")
    } |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

function tableSection(table: TableModel): string {
  const lines = [
    `### ${table.name}`,
    "",
    table.description + ".",
    "",
    `- Primary key: ${table.primaryKey.map((name) => `\`${name}\``).join(", ")}`,
    `- Rows from: \`${table.rowPath === "" ? "interactionHistoryRecords[]" : table.rowPath}\``,
    "",
    ...markdownTable(
      ["column", "type", "source", "null when", "description"],
      table.columns.map((column) => [
        `\`${column.name}\``,
        column.type,
        escapeCell(column.source),
        nullWhen(column),
        escapeCell(column.description),
      ]),
    ),
    "",
  ];
  return lines.join("\n");
}

/**
 * Renders the data dictionary of a model as Markdown.
 *
 * @param tables the model; default the Engagement History tables
 * @returns the Markdown text of docs/TABLES.md
 *
 * @example
 * ```ts
 * import { renderDataDictionary } from "./data_dictionary.ts";
 * import assert from "node:assert/strict";
 * const text = renderDataDictionary();
 * assert.match(text, /### surveys_postchat/);
 * assert.match(text, /\| `engagementId` +\| string +\|/);
 * ```
 */
export function renderDataDictionary(
  tables: readonly TableModel[] = ENGAGEMENT_HISTORY_TABLES,
): string {
  const index = markdownTable(
    ["table", "primary key", "one row per"],
    tables.map((table) => [
      `[\`${table.name}\`](#${table.name.toLowerCase()})`,
      table.primaryKey.join(", "),
      escapeCell(table.description),
    ]),
  );
  return [
    INTRO,
    "## Tables",
    "",
    ...index,
    "",
    ...tables.map(tableSection),
  ].join("\n");
}
