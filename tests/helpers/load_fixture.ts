/**
 * Exports to load, built as a user builds them: simulated records of both
 * sources (some carrying hard text: `|`, quotes, newlines, tabs, emoji,
 * right-to-left and CJK scripts), stored as raw pages, turned into tables by
 * the tables step. Also reads a loaded database back, record by record.
 */

import { importPages } from "../../lib/fetch/import_pages.ts";
import type { LoadConnection } from "../../lib/load/connection.ts";
import { databaseSchemaName } from "../../lib/tables/ddl.ts";
import { qualifiedName, quoteIdentifier } from "../../lib/tables/sql_text.ts";
import { ENGAGEMENT_HISTORY_SOURCE } from "../../lib/sources/engagement_history/mod.ts";
import { engagementAt } from "../../lib/sources/engagement_history/simulator/dataset.ts";
import { MESSAGING_SOURCE } from "../../lib/sources/messaging/mod.ts";
import { conversationAt } from "../../lib/sources/messaging/simulator/dataset.ts";
import type { Source } from "../../lib/sources/source.ts";
import { buildTables } from "../../lib/tables/build.ts";
import type { SchemaFile } from "../../lib/tables/schema_file.ts";

/** A raw record. */
export type Json = Record<string, unknown>;

/** Text that breaks naive CSV, SQL or encoding handling. */
export const HARD_TEXTS: readonly string[] = [
  "pipe | inside",
  'double "quoted" text',
  "two\nlines",
  "windows\r\nline end",
  "tab\tseparated",
  "emoji 🙏🏽👍 and a flag 🇮🇱",
  "עברית מימין לשמאל والعربية أيضا",
  "中文 日本語のテキスト 한국어",
  "",
  "  spaces around  ",
  "back\\slash and 'single' quotes",
  '"|\n\t"',
];

const WEEK = { from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 0, 8) };

function withHardText(record: Json, index: number, source: Source): Json {
  const text = HARD_TEXTS[index % HARD_TEXTS.length]!;
  if (index >= HARD_TEXTS.length * 2) return record;
  const copy = structuredClone(record);
  if (source === ENGAGEMENT_HISTORY_SOURCE) {
    (copy.info as Json).visitorName = text;
    const lines = (copy.transcript as { lines?: Json[] } | undefined)?.lines;
    if (lines?.[0]) lines[0].text = text;
  } else {
    const message = (copy.messageRecords as Json[] | undefined)?.[0];
    const data = message?.messageData as { msg?: Json } | undefined;
    if (data?.msg) data.msg.text = text;
  }
  return copy;
}

/**
 * Simulated records of a source, the first few carrying {@linkcode HARD_TEXTS}.
 *
 * @param source the source
 * @param count how many
 * @returns the records, in simulator order
 */
export function simulatedRecords(source: Source, count: number): Json[] {
  const dataset = { ...WEEK, count, seed: 11 };
  return Array.from({ length: count }, (_, index) => {
    const record = source === ENGAGEMENT_HISTORY_SOURCE
      ? engagementAt(dataset, index)
      : conversationAt(dataset, index);
    return withHardText(record as Json, index, source);
  });
}

/** The record's id. */
export function recordIdOf(source: Source, record: Json): string {
  return source.api.recordState(record)!.id;
}

/**
 * A later version of a record: one child row fewer (its first transcript line
 * or message) and a changed duration, so a reload must delete as well as update.
 *
 * @param source the source
 * @param record the record
 * @returns the updated copy
 */
export function updatedRecord(source: Source, record: Json): Json {
  const copy = structuredClone(record);
  const info = copy.info as Json;
  info.duration = Number(info.duration ?? 0) + 7;
  if (source === ENGAGEMENT_HISTORY_SOURCE) {
    const transcript = copy.transcript as { lines?: Json[] } | undefined;
    if (transcript?.lines) transcript.lines = transcript.lines.slice(1);
  } else if (Array.isArray(copy.messageRecords)) {
    copy.messageRecords = copy.messageRecords.slice(1);
  }
  return copy;
}

/** Both sources, for tests that cover each. */
export const LOAD_SOURCES: readonly Source[] = [ENGAGEMENT_HISTORY_SOURCE, MESSAGING_SOURCE];

/**
 * Writes an export: raw pages of the records of each source in `dir/raw`,
 * tables (CSV and Parquet) in `dir/tables`.
 *
 * @param dir a new folder
 * @param parts records per source
 * @returns the tables folder
 */
export async function writeExport(
  dir: string,
  parts: readonly { readonly source: Source; readonly records: readonly Json[] }[],
): Promise<string> {
  for (const { source, records } of parts) {
    const bodies = [];
    for (let offset = 0; offset < records.length; offset += 100) {
      const page = records.slice(offset, offset + 100);
      bodies.push(new TextEncoder().encode(JSON.stringify({
        _metadata: { count: page.length },
        [source.api.recordsField]: page,
      })));
    }
    await importPages(`${dir}/raw`, source.api, bodies);
    await buildTables({
      inDir: `${dir}/raw`,
      outDir: `${dir}/tables`,
      source,
      otherSources: LOAD_SOURCES.map((known) => known.name).filter((name) => name !== source.name),
    });
  }
  return `${dir}/tables`;
}

/** The `_schema.json` of a source's tables in an export. */
export function readSchemaFile(tablesDir: string, source: Source): SchemaFile {
  return JSON.parse(Deno.readTextFileSync(`${tablesDir}/${source.name}/_schema.json`));
}

/**
 * Every row of a source's tables in the database, as text, grouped by record:
 * record id → its rows in every table, in key order. Two databases (of one
 * kind) hold the same data exactly when these are equal.
 *
 * @param db the connection
 * @param file the source's `_schema.json`
 * @returns the rows per record id, as one string
 */
export async function recordContents(
  db: LoadConnection,
  file: SchemaFile,
): Promise<Map<string, string>> {
  const schema = databaseSchemaName(file.source);
  const parts = new Map<string, string[]>();
  for (const table of file.tables) {
    const columns = table.columns.map((column) =>
      `CAST(${quoteIdentifier(column.name)} AS VARCHAR) AS ${quoteIdentifier(column.name)}`
    );
    const rows = await db.query(
      `SELECT ${columns.join(", ")} FROM ${qualifiedName(schema, table.name)} ORDER BY ${
        table.primaryKey.map(quoteIdentifier).join(", ")
      }`,
    );
    for (const row of rows) {
      const id = String(row[file.recordKey.id]);
      if (!parts.has(id)) parts.set(id, []);
      parts.get(id)!.push(`${table.name} ${JSON.stringify(row)}`);
    }
  }
  return new Map([...parts].map(([id, rows]) => [id, rows.join("\n")]));
}
