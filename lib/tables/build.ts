/**
 * The tables step: a source's raw pages → its CSV and Parquet tables in
 * `<out>/<source>/`, with `_summary.json`, `_schema.json` and ready DDL
 * (`_schema.duckdb.sql`, `_schema.postgres.sql`).
 *
 * Every input is checked before anything is committed; the raw store is
 * verified against its manifest while the tables are built (a missing, cut,
 * altered or unlisted page stops the run, and so does a window a fetch left
 * incomplete, unless allowed), so no record is lost without a word. The
 * tables are built in a temporary folder inside the output folder and exchanged with
 * `<out>/<source>/` at the end (see output.ts): a failed or killed run leaves
 * the previous tables as they were.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import type { HistoryApi } from "../fetch/history_api.ts";
import { withRawLock } from "../fetch/raw_store.ts";
import { apiFolder } from "../fetch/store_layout.ts";
import { checkTablesOutput, removeNewOutput, startTablesBuild, SUMMARY_FILE } from "./output.ts";
import type { SourceSchema } from "./schema.ts";
import { SCHEMA_FILE, schemaFile } from "./schema_file.ts";
import { DDL_FILES, ddlScript } from "./ddl.ts";
import { hasRawStore, readVerifiedStore, withVerifiedStore } from "./verified_input.ts";
import {
  TABLE_FORMATS,
  type TableFormat,
  type TablesProgress,
  writeTables,
  type WrittenTables,
} from "./write_tables.ts";

export { SUMMARY_FILE } from "./output.ts";
export { TABLE_FORMATS, type TableFormat, type TablesProgress } from "./write_tables.ts";

/** The source whose tables to build: how its pages hold records, and its schema. */
export interface TablesSource {
  readonly api: Pick<HistoryApi, "name" | "recordsField" | "recordState" | "emptyBodyIsEmptyPage">;
  readonly schema: SourceSchema;
}

/** Options of {@linkcode buildTables}. */
export interface BuildTablesOptions {
  /** Raw directory written by fetch (`data/raw`). */
  readonly inDir: string;
  /** Output directory (`data/tables`); the source's folder in it is replaced at the end. */
  readonly outDir: string;
  readonly source: TablesSource;
  /** Names of the other sources, whose table folders may sit beside this one in `outDir`. */
  readonly otherSources?: readonly string[];
  /** Formats to write; default both. */
  readonly formats?: readonly TableFormat[];
  /** Build even when some windows were not fetched completely (they are listed in the summary). */
  readonly allowIncomplete?: boolean;
  /** Workers that flatten pages besides the main thread (see write_tables.ts); default one per spare core. */
  readonly workers?: number;
  /** Called after each page and each Parquet table. */
  readonly onProgress?: (progress: TablesProgress) => void;
  /** Receives notes for the user: recovered folders. */
  readonly onNote?: (message: string) => void;
}

/** What a run did; also written to `<out>/<source>/_summary.json`. */
export interface TablesSummary extends WrittenTables {
  /** The source the tables come from; also their folder's name. */
  readonly source: string;
  readonly inDir: string;
  /** The source's tables folder, `<out>/<source>`. */
  readonly outDir: string;
  readonly formats: readonly TableFormat[];
  /** Windows a fetch left incomplete, read anyway because it was allowed. */
  readonly incompleteWindows: readonly string[];
  /** Windows fetched before their data settled; the next fetch reads them again. */
  readonly unsettledWindows: readonly string[];
  readonly elapsedMs: number;
}

/**
 * Reads a `--format` list: `csv`, `parquet` or both, comma-separated.
 *
 * @param text the list, or the formats already split
 * @returns the distinct formats, in the order given
 * @throws {UsageError} naming the input and what is accepted
 *
 * @example
 * ```ts
 * import { parseFormats } from "./build.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseFormats("parquet, csv"), ["parquet", "csv"]);
 * assert.throws(() => parseFormats("xlsx"), /Invalid --format "xlsx"/);
 * ```
 */
export function parseFormats(text: string | readonly string[]): TableFormat[] {
  const list = typeof text === "string" ? text.split(",") : text;
  const chosen = [...new Set(list.map((format) => format.trim()).filter(Boolean))];
  const shown = typeof text === "string" ? text : text.join(",");
  if (
    chosen.length === 0 ||
    chosen.some((format) => !(TABLE_FORMATS as readonly string[]).includes(format))
  ) {
    throw new UsageError(`Invalid --format "${shown}": expected csv, parquet or csv,parquet`);
  }
  return chosen as TableFormat[];
}

/**
 * Builds every table of a source from its raw pages into `<outDir>/<source>/`.
 *
 * @param options input and output folders, the source, formats, callbacks
 * @returns the summary (also written to `<outDir>/<source>/_summary.json`)
 * @throws {UsageError} for an input that is not a verified, complete raw store,
 *   an output folder the tool does not own, or an unknown format; nothing is written then
 *
 * @example
 * ```ts
 * import { buildTables } from "./build.ts";
 * import { importPages } from "../fetch/import_pages.ts";
 * import { ENGAGEMENT_HISTORY_SOURCE } from "../sources/engagement_history/mod.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const body = JSON.stringify({
 *   _metadata: { count: 1 },
 *   interactionHistoryRecords: [{ info: { engagementId: "123456789012345678" } }],
 * });
 * await importPages(`${dir}/raw`, ENGAGEMENT_HISTORY_SOURCE.api, [new TextEncoder().encode(body)]);
 * const summary = await buildTables({
 *   inDir: `${dir}/raw`, outDir: `${dir}/tables`, source: ENGAGEMENT_HISTORY_SOURCE, formats: ["csv"],
 * });
 * assert.equal(summary.rows.interaction, 1);
 * assert.equal(summary.outDir, `${dir}/tables/engagement-history`);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function buildTables(options: BuildTablesOptions): Promise<TablesSummary> {
  const started = performance.now();
  const { api, schema } = options.source;
  const formats = parseFormats(options.formats ?? TABLE_FORMATS);
  const { inDir, outDir } = options;
  if (!hasRawStore(inDir, api)) {
    throw new UsageError(
      `No raw pages in ${apiFolder(inDir, api)}: run \`deno task fetch\` first, or pass ` +
        `--in <folder> with the raw folder fetch wrote`,
    );
  }
  const output = checkTablesOutput(outDir, {
    inDir,
    sources: [api.name, ...options.otherSources ?? []],
  });
  return await withRawLock(inDir, "deno task tables", async () => {
    const store = await readVerifiedStore(inDir, api, options.allowIncomplete === true);
    const build = await startTablesBuild(outDir, api.name, { onNote: options.onNote });
    try {
      // The files are checked against the manifest while the tables are built.
      const written = await withVerifiedStore(store, () =>
        writeTables(store.pages, build.folder, {
          api,
          schema,
          formats,
          onProgress: options.onProgress,
          ...(options.workers === undefined ? {} : { workers: options.workers }),
        }));
      const described = schemaFile(schema, formats);
      await Deno.writeTextFile(
        `${build.folder}/${SCHEMA_FILE}`,
        JSON.stringify(described, null, 2) + "\n",
      );
      // Ready DDL for those who create the tables without `deno task load`.
      for (const [dialect, name] of Object.entries(DDL_FILES)) {
        await Deno.writeTextFile(
          `${build.folder}/${name}`,
          ddlScript(described, dialect as keyof typeof DDL_FILES),
        );
      }
      const summary: TablesSummary = {
        source: api.name,
        inDir,
        outDir: `${outDir}/${api.name}`,
        formats,
        ...written,
        incompleteWindows: store.incompleteWindows,
        unsettledWindows: store.unsettledWindows,
        files: [...written.files, SCHEMA_FILE, ...Object.values(DDL_FILES), SUMMARY_FILE],
        elapsedMs: Math.round(performance.now() - started),
      };
      // Written last: a folder with a summary holds a complete set (see output.ts).
      await Deno.writeTextFile(
        `${build.folder}/${SUMMARY_FILE}`,
        JSON.stringify(summary, null, 2) + "\n",
      );
      await build.commit();
      return summary;
    } catch (error) {
      await build.abort();
      // A run that stops leaves no tables folder of its own making behind.
      if (!output.exists) await removeNewOutput(outDir);
      throw error;
    }
  }, options.onNote);
}
