/**
 * Brings a database's tables of a source up to the export's `_schema.json`:
 * creates what is missing (schema, tables, indexes), adds the columns a table
 * lacks (schema drift, reported) with their comments from the data
 * dictionary, and never drops or changes a column.
 *
 * @module
 */

import type { SchemaFile } from "../tables/schema_file.ts";
import type { LoadConnection } from "./connection.ts";
import {
  addColumnSql,
  commentsSql,
  createIndexesSql,
  createTableSql,
  databaseSchemaName,
  sqlType,
} from "../tables/ddl.ts";
import { quoteIdentifier, quoteLiteral } from "../tables/sql_text.ts";

/** A column added to an existing table. */
export interface AddedColumn {
  /** `schema.table`. */
  readonly table: string;
  readonly column: string;
  /** Its database type. */
  readonly type: string;
}

/** What {@linkcode prepareSchema} found and did. */
export interface SchemaChanges {
  /** Tables created, `schema.table`. */
  readonly createdTables: readonly string[];
  /** Columns added to tables that existed (schema drift). */
  readonly addedColumns: readonly AddedColumn[];
  /** Columns the database has and the export lacks, `schema.table.column`: kept, left null in new rows. */
  readonly columnsNotInExport: readonly string[];
  /** Columns whose database type differs from the export's, left as they are. */
  readonly typeMismatches: readonly string[];
}

function normaliseType(type: string): string {
  const lower = type.toLowerCase();
  const aliases: Record<string, string> = {
    "timestamp with time zone": "timestamptz",
    "character varying": "text",
    varchar: "text",
    int8: "bigint",
    float8: "double precision",
    double: "double precision",
  };
  return aliases[lower] ?? lower;
}

/**
 * Creates or extends a source's tables; run it in a transaction.
 *
 * @param db the connection
 * @param file the export's `_schema.json`
 * @returns what changed, for the report and `load_runs`
 */
export async function prepareSchema(db: LoadConnection, file: SchemaFile): Promise<SchemaChanges> {
  const schema = databaseSchemaName(file.source);
  const rows = await db.query(
    `SELECT table_name, column_name, data_type FROM information_schema.columns ` +
      `WHERE table_schema = ${quoteLiteral(schema)}`,
  );
  const existing = new Map<string, Map<string, string>>();
  for (const row of rows) {
    const table = String(row.table_name);
    if (!existing.has(table)) existing.set(table, new Map());
    existing.get(table)!.set(String(row.column_name), String(row.data_type));
  }
  const createdTables: string[] = [];
  const addedColumns: AddedColumn[] = [];
  const columnsNotInExport: string[] = [];
  const typeMismatches: string[] = [];
  await db.execute(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
  for (const table of file.tables) {
    const columns = existing.get(table.name);
    const statements: string[] = [];
    if (!columns) {
      createdTables.push(`${schema}.${table.name}`);
      statements.push(createTableSql(schema, table, db.dialect), ...commentsSql(schema, table));
    } else {
      for (const column of table.columns) {
        const type = sqlType(column.type, db.dialect);
        const present = columns.get(column.name);
        if (present === undefined) {
          addedColumns.push({ table: `${schema}.${table.name}`, column: column.name, type });
          statements.push(...addColumnSql(schema, table, column, db.dialect));
        } else if (normaliseType(present) !== normaliseType(type)) {
          typeMismatches.push(
            `${schema}.${table.name}.${column.name} (${present}, export ${type})`,
          );
        }
      }
      const known = new Set(table.columns.map((column) => column.name));
      for (const name of columns.keys()) {
        if (!known.has(name)) columnsNotInExport.push(`${schema}.${table.name}.${name}`);
      }
    }
    statements.push(...createIndexesSql(schema, table, file.recordKey, db.dialect));
    for (const statement of statements) await db.execute(statement);
  }
  return { createdTables, addedColumns, columnsNotInExport, typeMismatches };
}
