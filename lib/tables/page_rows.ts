/**
 * One raw page into the CSV bytes of its records' rows: the part of the
 * tables step that needs no other page, so that it can run in a worker
 * (page_worker.ts) as well as on the main thread, which puts the records in
 * order (start_order.ts) and copies each record's bytes into its tables.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { type HistoryApi, isEmptyAnswer } from "../fetch/history_api.ts";
import { type CompiledSchema, compileSchema } from "./compile.ts";
import { csvLineReusing } from "./csv_writer.ts";
import { type FlattenCounts, flattenRecord, type Row } from "./flatten.ts";
import { isJsonObject, parseJsonKeepingNumbers } from "./json_text.ts";
import { RowChecker, type RowFailure } from "./row_checker.ts";
import type { SourceSchema, Table } from "./schema.ts";

/** Facts about a record worth noting; most records have none. */
export interface RecordNotes {
  /** Unknown field paths → occurrences. */
  readonly unknownFields?: readonly (readonly [string, number])[];
  /** `table.column` → values that did not fit. */
  readonly typeMismatches?: readonly (readonly [string, number])[];
  /** Failures of the self-check on its rows. */
  readonly failures?: readonly RowFailure[];
}

/** The rows of one page's records, as CSV bytes, with what is known of each record. */
export interface PageRows {
  /** Records in the page, those without an id included. */
  readonly recordsRead: number;
  /** Records without their id (no rows). */
  readonly recordsWithoutId: number;
  /** Ids of the records with rows, in page order; the arrays below follow it. */
  readonly ids: readonly string[];
  /** Their start times (ISO-8601 UTC) or null. */
  readonly starts: readonly (string | null)[];
  /** Per record: 1 its copy is partial, 2 it had not ended, 3 both. */
  readonly states: Uint8Array;
  /** Per record: its notes, or null. */
  readonly notes: readonly (RecordNotes | null)[];
  /** The CSV lines of every row, record after record, and within a record table after table. */
  readonly bytes: Uint8Array;
  /**
   * Where each record's lines of each table lie in `bytes`: those of record
   * `r` in table `t` run from `offsets[r * tables + t]` to `offsets[r * tables + t + 1]`.
   */
  readonly offsets: Uint32Array;
  /** How many rows record `r` has in table `t`: `rowCounts[r * tables + t]`. */
  readonly rowCounts: Uint32Array;
}

/** A page's state flags. */
export const PARTIAL = 1;
export const OPEN = 2;

/** What {@linkcode pageRows} needs, prepared once. */
export interface PageContext {
  readonly api: Pick<HistoryApi, "recordsField" | "recordState" | "emptyBodyIsEmptyPage">;
  readonly compiled: CompiledSchema;
  readonly tables: readonly Table[];
  /** Per table, the columns that need no quoting test. */
  readonly plain: readonly (readonly boolean[])[];
  readonly checker: RowChecker;
}

/** Which columns never need a quoting test: their types only hold digits, signs and times. */
function plainColumns(table: Table): boolean[] {
  return table.columns.map((column) =>
    column.role !== "extra" &&
    (column.type === "integer" || column.type === "float" || column.type === "boolean" ||
      column.type === "timestamp")
  );
}

/**
 * Prepares what {@linkcode pageRows} needs for a source.
 *
 * @param api how the source's pages hold records
 * @param schema the source's tables
 * @returns the context
 */
export function pageContext(
  api: PageContext["api"],
  schema: SourceSchema,
): PageContext {
  return {
    api,
    compiled: compileSchema(schema),
    tables: schema.tables,
    plain: schema.tables.map(plainColumns),
    checker: new RowChecker(schema),
  };
}

/**
 * The records of a page's text.
 *
 * @param path the file, for messages
 * @param text its text
 * @param api how the source's pages hold records
 * @returns the records
 * @throws {UsageError} for text that is not JSON or has no records array
 */
export function pageRecords(
  path: string,
  text: string,
  api: Pick<HistoryApi, "recordsField" | "emptyBodyIsEmptyPage">,
): unknown[] {
  const { recordsField } = api;
  if (isEmptyAnswer(api, text)) return [];
  let body: unknown;
  try {
    body = parseJsonKeepingNumbers(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(
      `Raw file ${path} matches its manifest but is not valid JSON (${reason}): the server ` +
        `sent it so; run \`deno task fetch --refetch\` with its dates to fetch it again`,
    );
  }
  const records = isJsonObject(body) ? body[recordsField] : undefined;
  if (!Array.isArray(records)) {
    throw new UsageError(
      `Raw file ${path} has no "${recordsField}" array: run \`deno task fetch --refetch\` ` +
        `with its dates to fetch it again`,
    );
  }
  return records;
}

/** A growing byte buffer that strings are encoded into. */
class ByteArena {
  #bytes: Uint8Array;
  length = 0;
  readonly #encoder = new TextEncoder();

  constructor(size: number) {
    this.#bytes = new Uint8Array(Math.max(1024, size));
  }

  append(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (this.#bytes.length - this.length < text.length * 3) {
      const grown = new Uint8Array(Math.max(this.#bytes.length * 2, this.length + text.length * 3));
      grown.set(this.#bytes.subarray(0, this.length));
      this.#bytes = grown;
    }
    this.length += this.#encoder.encodeInto(text, this.#bytes.subarray(this.length)).written;
  }

  bytes(): Uint8Array {
    return this.#bytes.subarray(0, this.length);
  }
}

function entriesOf(map: Map<string, number>): [string, number][] | undefined {
  if (map.size === 0) return undefined;
  const entries = [...map];
  map.clear();
  return entries;
}

/**
 * Flattens every record of a page and encodes its rows as CSV lines.
 *
 * @param path the file, for messages
 * @param text the page's text
 * @param context the source, prepared with {@linkcode pageContext}
 * @returns the page's records and rows
 * @throws {UsageError} for a page that is not JSON or has no records array
 *
 * @example
 * ```ts
 * import { pageContext, pageRows } from "./page_rows.ts";
 * import { ENGAGEMENT_HISTORY } from "../sources/engagement_history/api.ts";
 * import { ENGAGEMENT_HISTORY_SCHEMA } from "../sources/engagement_history/tables.ts";
 * import assert from "node:assert/strict";
 * const context = pageContext(ENGAGEMENT_HISTORY, ENGAGEMENT_HISTORY_SCHEMA);
 * const text = JSON.stringify({ interactionHistoryRecords: [
 *   { info: { engagementId: "e1", startTime: "2024-01-01 10:00:00.000+0000" } },
 *   { info: {} },
 * ] });
 * const page = pageRows("page.json", text, context);
 * assert.deepEqual([page.recordsRead, page.recordsWithoutId, page.ids], [2, 1, ["e1"]]);
 * assert.deepEqual(page.starts, ["2024-01-01T10:00:00.000Z"]);
 * const line = new TextDecoder().decode(page.bytes.subarray(page.offsets[0], page.offsets[1]));
 * assert.match(line, /^e1\|2024-01-01T10:00:00\.000Z\|/);
 * ```
 */
export function pageRows(path: string, text: string, context: PageContext): PageRows {
  const { api, compiled, tables, plain, checker } = context;
  const records = pageRecords(path, text, api);
  const tableCount = tables.length;
  const tableIndex = new Map(tables.map((table, index) => [table, index]));
  const ids: string[] = [];
  const starts: (string | null)[] = [];
  const notes: (RecordNotes | null)[] = [];
  const states = new Uint8Array(records.length);
  const offsets: number[] = [];
  const rowCounts: number[] = [];
  const arena = new ByteArena(text.length);
  const counts: FlattenCounts = { unknownFields: new Map(), typeMismatches: new Map() };
  // The rows of the current record, per table; encoded once all are checked
  // (encoding reuses a row's array, and the check compares rows with earlier ones).
  const rows: Row[][] = tables.map(() => []);
  const lines: string[] = [];
  let withoutId = 0;
  const emit = (table: Table, row: Row) => {
    checker.check(table, row);
    rows[tableIndex.get(table)!]!.push(row);
  };
  for (const record of records) {
    checker.startRecord();
    const { id, start } = flattenRecord(compiled, record, { emit, counts });
    if (id === null) {
      withoutId++;
      counts.unknownFields.clear();
      counts.typeMismatches.clear();
      for (const table of rows) table.length = 0;
      continue;
    }
    const state = api.recordState(record);
    states[ids.length] = (state?.partial ? PARTIAL : 0) | (state?.open ? OPEN : 0);
    ids.push(id);
    starts.push(start);
    const unknownFields = entriesOf(counts.unknownFields);
    const typeMismatches = entriesOf(counts.typeMismatches);
    const failures = checker.recordFailures();
    notes.push(
      unknownFields || typeMismatches || failures.length > 0
        ? {
          ...(unknownFields ? { unknownFields } : {}),
          ...(typeMismatches ? { typeMismatches } : {}),
          ...(failures.length > 0 ? { failures: [...failures] } : {}),
        }
        : null,
    );
    for (let table = 0; table < tableCount; table++) {
      offsets.push(arena.length);
      const tableRows = rows[table]!;
      rowCounts.push(tableRows.length);
      if (tableRows.length === 0) continue;
      if (tableRows.length === 1) {
        arena.append(csvLineReusing(tableRows[0]!, plain[table]));
      } else {
        for (const row of tableRows) lines.push(csvLineReusing(row, plain[table]));
        arena.append(lines.join(""));
        lines.length = 0;
      }
      tableRows.length = 0;
    }
  }
  offsets.push(arena.length);
  return {
    recordsRead: records.length,
    recordsWithoutId: withoutId,
    ids,
    starts,
    states: states.slice(0, ids.length),
    notes,
    bytes: arena.bytes(),
    offsets: Uint32Array.from(offsets),
    rowCounts: Uint32Array.from(rowCounts),
  };
}
