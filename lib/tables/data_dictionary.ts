/**
 * The data dictionary (docs/TABLES.md), generated from the table model.
 *
 * @module
 */

import type { Column, SourceSchema, Table } from "./schema.ts";

// Wrapped at 100 columns for reading; the generated file is left out of `deno fmt`.
const INTRO = `# Tables

Generated from the sources' catalogues (\`lib/sources/*/catalogue.json\`, with the SDE tables of
\`lib/sources/common/sde_types.json\`) by \`deno task docs\`; do not edit by hand.

\`deno task tables\` turns the raw pages of each source in \`data/raw\` into one table per node of a
record, as pipe-delimited CSV and as Parquet, in \`data/tables/<source>/\`, with \`_summary.json\` (what
the run did) and \`_schema.json\` (these tables for machines: columns, types, units, keys, parent
links). Every table of a source carries the record's id and start time, so any two tables join on
the id.

## How values are written

- **Exactly as sent.** A text value is written unchanged: \`|\`, \`"\`, backslashes, CR, LF, tabs, emoji
  and any script stay as they are. Numbers keep the exact text the server sent (\`77.0\` stays \`77.0\`;
  an 18-digit id never goes through a float). Booleans are \`true\` / \`false\`.
- **CSV.** UTF-8, \`|\` between fields, a header row, LF line ends, RFC 4180 quoting: a value
  containing \`|\`, \`"\`, CR or LF is enclosed in \`"\` with inner quotes doubled.
- **Null is not the empty string.** In CSV, null (no value, or a missing field) is an empty unquoted
  field (\`a||c\`); the empty string is a quoted empty field (\`a|""|c\`). In Parquet, null is null.
  Readers left to their defaults do not all keep the two apart (DuckDB reads \`""\` as NULL unless
  told \`allow_quoted_nulls = false\`; pandas cannot tell them apart at all): read the CSV with the
  recipes in [READING.md](READING.md), or read the Parquet copies.
- **Ids are text** (type string) everywhere, in CSV and Parquet, whether LivePerson sent them as
  strings or numbers.
- **Times.** LivePerson string times (\`2015-05-28 04:46:23.209+0000\` or the \`T\` form) are written as
  ISO-8601 UTC (\`2015-05-28T04:46:23.209Z\`). Epoch-millisecond fields (\`…L\`, SDE \`serverTimeStamp\`)
  are kept as sent and get an ISO-8601 UTC twin with the suffix \`_iso\`. In Parquet, timestamps are
  \`Datetime(ms, UTC)\`. A string time names the same instant as its ISO form, so only the spelling
  changes (a non-UTC offset is converted to UTC); a string time that is not a time at all is kept,
  as sent, in \`extra\`. Where LivePerson sends both forms (\`startTime\` and \`startTimeL\`), both are
  kept: they do not always agree.
- **Units.** Durations say their unit in the column "unit": Engagement History's \`duration\` is in
  seconds; co-browse and Messaging Interactions durations are in milliseconds.
- **Sentinels → null**, per column as listed below (column "null when"): \`-1\` in epoch times;
  \`undefined\`, \`null\`, \`NA\` in fields LivePerson fills in itself (agent, skill, group and campaign
  names, visitor info, URLs); also the empty string in string times. Text people typed (transcript
  lines, visitor name, survey answers, SDE values) is never treated as a sentinel. Ids such as
  \`skillId\` \`-1\` are kept: -1 is LivePerson's own id for "unassigned".
- **\`{"string": x}\`** wrappers (seen in \`visitorError\` events) are written as x.
- **Types.** string and json → String; integer → Int64; float → Float64; boolean → Boolean;
  timestamp → Datetime(ms, UTC), in Parquet and in \`_schema.json\`. JSON columns hold compact JSON
  text. A CSV reader guesses other types (ids as integers, times as text) unless told these:
  [READING.md](READING.md) has the recipes for polars, pandas, DuckDB and Spark.

## Choices

- **Unknown fields go to \`extra\`.** Every table ends with an \`extra\` column: a JSON object of the
  fields of that row the catalogue does not know, keyed by their path in the record
  (\`{"info.newField": 3}\`), null when there are none. A value that does not fit its column's type (a
  \`total\` of \`"12,5"\`, a time that is not a time) is kept there too, under its path, and its cell is
  null. New columns instead would change a CSV header in the middle of a streaming run. The run
  summary (\`_summary.json\`) counts every unknown path and every such value.
- **Positions.** A table of a list has \`position\`, the 0-based index in its list, so (id,
  \`position\`) is the key and the original order is kept. A table of a list inside a list also
  carries the positions of the lists above it, named after their tables (\`eventPosition\`, …), which
  join to those tables' \`position\`.
- **Duplicates.** A record seen more than once (overlapping windows, re-fetches) gives one row in
  the base table and one set of child rows: the most recently fetched copy wins.
- **Row order.** Every table's rows come in the order of their record's start time (\`startTime\`),
  records that start at the same moment by id, and a record's rows of a list by position. Should the
  raw pages break the order the tables step relies on (a page out of order), every record is still
  written once, and \`_summary.json\` counts the records out of order under \`order\`.
`;

function escapeCell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

function nullWhen(column: Column): string {
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

function anchorOf(schema: SourceSchema, table: Table): string {
  return `${schema.source}-${table.name}`.toLowerCase();
}

function tableSection(schema: SourceSchema, table: Table): string {
  const lines = [
    `<a id="${anchorOf(schema, table)}"></a>`,
    "",
    `### ${table.name}`,
    "",
    table.description + ".",
    "",
    `- Primary key: ${table.primaryKey.map((name) => `\`${name}\``).join(", ")}`,
    `- Rows from: \`${table.rowPath === "" ? "each record" : table.rowPath}\``,
    ...(table.parent
      ? [
        `- Parent: \`${table.parent.table}\` (${
          table.parent.columns.map((name, index) =>
            `\`${name}\` → \`${table.parent!.references[index]}\``
          ).join(", ")
        })`,
      ]
      : []),
    "",
    ...markdownTable(
      ["column", "type", "unit", "source", "null when", "description"],
      table.columns.map((column) => [
        `\`${column.name}\``,
        column.type,
        column.unit ?? "",
        escapeCell(column.source),
        nullWhen(column),
        escapeCell(column.description),
      ]),
    ),
    "",
  ];
  return lines.join("\n");
}

function sourceSection(schema: SourceSchema): string {
  const index = markdownTable(
    ["table", "primary key", "one row per"],
    schema.tables.map((table) => [
      `[\`${table.name}\`](#${anchorOf(schema, table)})`,
      table.primaryKey.join(", "),
      escapeCell(table.description),
    ]),
  );
  return [
    `## ${schema.title}: \`data/tables/${schema.source}/\``,
    "",
    ...(schema.notes ? [schema.notes.trim(), ""] : []),
    ...index,
    "",
    ...schema.tables.map((table) => tableSection(schema, table)),
  ].join("\n");
}

/**
 * Renders the data dictionary of the sources' schemas as Markdown.
 *
 * @param schemas the schemas, one section each
 * @returns the Markdown text of docs/TABLES.md
 *
 * @example
 * ```ts
 * import { renderDataDictionary } from "./data_dictionary.ts";
 * import { ENGAGEMENT_HISTORY_SCHEMA } from "../sources/engagement_history/tables.ts";
 * import assert from "node:assert/strict";
 * const text = renderDataDictionary([ENGAGEMENT_HISTORY_SCHEMA]);
 * assert.match(text, /### surveys_postchat/);
 * assert.match(text, /\| `engagementId` +\| string +\|/);
 * ```
 */
export function renderDataDictionary(schemas: readonly SourceSchema[]): string {
  return [INTRO, ...schemas.map(sourceSection)].join("\n");
}
