/**
 * `_schema.json`: a source's tables described for machines — every table,
 * column, type, unit, key and parent link — written beside the tables so that
 * any reader (DuckDB, pandas, Spark, the database loader) can type the CSV
 * columns right and join the tables without reading the docs.
 *
 * @module
 */

import type { ColumnType, SourceSchema } from "./schema.ts";

/** Name of the schema file in each source's tables folder. */
export const SCHEMA_FILE = "_schema.json";

/** Version of the file's format. */
export const SCHEMA_FILE_VERSION = 1;

/** One column, as the file describes it. */
export interface SchemaFileColumn {
  readonly name: string;
  readonly type: ColumnType;
  /** False for the primary key's columns. */
  readonly nullable: boolean;
  readonly description: string;
  readonly unit: string | null;
}

/** One table, as the file describes it. */
export interface SchemaFileTable {
  readonly name: string;
  readonly description: string;
  /** The files written, by format. */
  readonly files: { readonly csv?: string; readonly parquet?: string };
  readonly primaryKey: readonly string[];
  readonly parent: {
    readonly table: string;
    readonly columns: readonly string[];
    readonly references: readonly string[];
  } | null;
  readonly columns: readonly SchemaFileColumn[];
}

/** The whole file. */
export interface SchemaFile extends Pick<SourceSchema, "source" | "title"> {
  readonly schemaVersion: number;
  /** The columns every table carries: the record's id and start time. */
  readonly recordKey: SourceSchema["key"];
  readonly tables: readonly SchemaFileTable[];
}

/**
 * Describes a source's tables for `_schema.json`.
 *
 * @param schema the source's schema
 * @param formats the formats written
 * @returns the file's content
 *
 * @example
 * ```ts
 * import { schemaFile } from "./schema_file.ts";
 * import { ENGAGEMENT_HISTORY_SCHEMA } from "../sources/engagement_history/tables.ts";
 * import assert from "node:assert/strict";
 * const file = schemaFile(ENGAGEMENT_HISTORY_SCHEMA, ["csv", "parquet"]);
 * const lines = file.tables.find((table) => table.name === "transcript_lines")!;
 * assert.deepEqual(lines.parent, {
 *   table: "interaction", columns: ["engagementId"], references: ["engagementId"],
 * });
 * assert.deepEqual(lines.files, { csv: "transcript_lines.csv", parquet: "transcript_lines.parquet" });
 * ```
 */
export function schemaFile(
  schema: SourceSchema,
  formats: readonly ("csv" | "parquet")[],
): SchemaFile {
  return {
    schemaVersion: SCHEMA_FILE_VERSION,
    source: schema.source,
    title: schema.title,
    recordKey: schema.key,
    tables: schema.tables.map((table) => ({
      name: table.name,
      description: table.description,
      files: Object.fromEntries(formats.map((format) => [format, `${table.name}.${format}`])),
      primaryKey: table.primaryKey,
      parent: table.parent ?? null,
      columns: table.columns.map((column) => ({
        name: column.name,
        type: column.type,
        nullable: !table.primaryKey.includes(column.name),
        description: column.description,
        unit: column.unit ?? null,
      })),
    })),
  };
}
