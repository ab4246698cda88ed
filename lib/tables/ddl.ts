/**
 * DDL for a source's tables, generated from the `_schema.json` description
 * (itself generated from the source's catalogue), for DuckDB and PostgreSQL:
 * one database schema per source, typed columns, primary keys, foreign keys
 * from every child table to its parent and an index on the start-time column
 * (PostgreSQL), and the data dictionary's descriptions as comments.
 *
 * DuckDB gets no foreign keys: it checks a referenced row against deletions of
 * the same transaction too eagerly, so replacing a record's child rows in one
 * transaction would fail. The join columns are named in each table's comment
 * instead, and PostgreSQL enforces them.
 *
 * @module
 */

import type { ColumnType } from "./schema.ts";
import type { SchemaFile, SchemaFileColumn, SchemaFileTable } from "./schema_file.ts";
import { type Dialect, qualifiedName, quoteIdentifier, quoteLiteral } from "./sql_text.ts";

export type { Dialect } from "./sql_text.ts";

/** File name of the ready DDL the tables step writes beside `_schema.json`, per dialect. */
export const DDL_FILES: Readonly<Record<Dialect, string>> = Object.freeze({
  duckdb: "_schema.duckdb.sql",
  postgres: "_schema.postgres.sql",
});

const TYPES: Readonly<Record<Dialect, Readonly<Record<ColumnType, string>>>> = {
  duckdb: {
    string: "VARCHAR",
    integer: "BIGINT",
    float: "DOUBLE",
    boolean: "BOOLEAN",
    timestamp: "TIMESTAMPTZ",
    json: "JSON",
  },
  postgres: {
    string: "text",
    integer: "bigint",
    float: "double precision",
    boolean: "boolean",
    timestamp: "timestamptz",
    // json keeps the text exactly as written (jsonb would reorder keys).
    json: "json",
  },
};

/**
 * The database schema that holds a source's tables: its name in snake_case.
 *
 * @param source the source's name (`engagement-history`)
 * @returns the schema name (`engagement_history`)
 *
 * @example
 * ```ts
 * import { databaseSchemaName } from "./ddl.ts";
 * import assert from "node:assert/strict";
 * assert.equal(databaseSchemaName("messaging-interactions"), "messaging_interactions");
 * ```
 */
export function databaseSchemaName(source: string): string {
  return source.replaceAll(/[^A-Za-z0-9_]/g, "_").toLowerCase();
}

/**
 * The database type of a column type.
 *
 * @param type the column's type in `_schema.json`
 * @param dialect the database
 * @returns the SQL type
 *
 * @example
 * ```ts
 * import { sqlType } from "./ddl.ts";
 * import assert from "node:assert/strict";
 * assert.equal(sqlType("timestamp", "postgres"), "timestamptz");
 * assert.equal(sqlType("string", "duckdb"), "VARCHAR");
 * ```
 */
export function sqlType(type: ColumnType, dialect: Dialect): string {
  return TYPES[dialect][type];
}

function columnComment(column: SchemaFileColumn): string {
  return column.unit ? `${column.description} (unit: ${column.unit})` : column.description;
}

function tableComment(table: SchemaFileTable): string {
  if (!table.parent) return table.description;
  const joins = table.parent.columns.map((name, index) =>
    `${name} = ${table.parent!.table}.${table.parent!.references[index]}`
  );
  return `${table.description}; joins to ${table.parent.table} on ${joins.join(" and ")}`;
}

function columnDefinition(
  column: SchemaFileColumn,
  table: SchemaFileTable,
  dialect: Dialect,
): string {
  const notNull = table.primaryKey.includes(column.name) ? " NOT NULL" : "";
  return `${quoteIdentifier(column.name)} ${sqlType(column.type, dialect)}${notNull}`;
}

function identifierList(names: readonly string[]): string {
  return names.map(quoteIdentifier).join(", ");
}

/**
 * `CREATE TABLE IF NOT EXISTS` for one table, with its primary key and, in
 * PostgreSQL, its foreign key to its parent.
 *
 * @param schema the database schema
 * @param table the table, as `_schema.json` describes it
 * @param dialect the database
 * @returns the statement, without a trailing semicolon
 *
 * @example
 * ```ts
 * import { createTableSql } from "./ddl.ts";
 * import assert from "node:assert/strict";
 * const table = {
 *   name: "lines", description: "One row per line", files: {}, primaryKey: ["id", "position"],
 *   parent: { table: "records", columns: ["id"], references: ["id"] },
 *   columns: [
 *     { name: "id", type: "string", nullable: false, description: "Id", unit: null },
 *     { name: "position", type: "integer", nullable: false, description: "Index", unit: null },
 *   ],
 * } as const;
 * const sql = createTableSql("demo", table, "postgres");
 * assert.match(sql, /"id" text NOT NULL/);
 * assert.match(sql, /FOREIGN KEY \("id"\) REFERENCES "demo"\."records" \("id"\)/);
 * assert.doesNotMatch(createTableSql("demo", table, "duckdb"), /FOREIGN KEY/);
 * ```
 */
export function createTableSql(schema: string, table: SchemaFileTable, dialect: Dialect): string {
  const lines = table.columns.map((column) => columnDefinition(column, table, dialect));
  lines.push(`PRIMARY KEY (${identifierList(table.primaryKey)})`);
  if (table.parent && dialect === "postgres") {
    lines.push(
      `CONSTRAINT ${quoteIdentifier(`${table.name}_parent_fk`)} FOREIGN KEY ` +
        `(${identifierList(table.parent.columns)}) REFERENCES ` +
        `${qualifiedName(schema, table.parent.table)} (${identifierList(table.parent.references)})`,
    );
  }
  return `CREATE TABLE IF NOT EXISTS ${qualifiedName(schema, table.name)} (\n  ${
    lines.join(",\n  ")
  }\n)`;
}

/**
 * Indexes of one table in PostgreSQL: its start-time column, and its id
 * column where the primary key does not begin with it (the primary key's
 * index serves lookups by id otherwise). DuckDB gets none: its primary key
 * serves lookups by id, and it skips row groups by their start-time ranges
 * (zone maps) without an index, which would only slow loading and grow the file.
 *
 * @param schema the database schema
 * @param table the table
 * @param recordKey the record's id and start-time column names
 * @param dialect the database
 * @returns `CREATE INDEX IF NOT EXISTS` statements
 *
 * @example
 * ```ts
 * import { createIndexesSql } from "./ddl.ts";
 * import assert from "node:assert/strict";
 * const table = { name: "t", primaryKey: ["id"], columns: [{ name: "id" }, { name: "start" }] };
 * const key = { id: "id", start: "start" };
 * assert.deepEqual(createIndexesSql("s", table as never, key, "postgres"), [
 *   'CREATE INDEX IF NOT EXISTS "t_start_idx" ON "s"."t" ("start")',
 * ]);
 * assert.deepEqual(createIndexesSql("s", table as never, key, "duckdb"), []);
 * ```
 */
export function createIndexesSql(
  schema: string,
  table: SchemaFileTable,
  recordKey: SchemaFile["recordKey"],
  dialect: Dialect,
): string[] {
  if (dialect === "duckdb") return [];
  const names = new Set(table.columns.map((column) => column.name));
  const indexed = [
    ...(table.primaryKey[0] === recordKey.id ? [] : [recordKey.id]),
    recordKey.start,
  ].filter((name) => names.has(name));
  return indexed.map((name) =>
    `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`${table.name}_${name}_idx`)} ON ` +
    `${qualifiedName(schema, table.name)} (${quoteIdentifier(name)})`
  );
}

/**
 * `COMMENT ON` statements for a table and its columns, from the data dictionary.
 *
 * @param schema the database schema
 * @param table the table
 * @param columns the columns to comment; default all
 * @returns the statements
 *
 * @example
 * ```ts
 * import { commentsSql } from "./ddl.ts";
 * import assert from "node:assert/strict";
 * const table = {
 *   name: "t", description: "Rows", parent: null,
 *   columns: [{ name: "d", description: "Duration", unit: "seconds" }],
 * };
 * assert.deepEqual(commentsSql("s", table as never), [
 *   `COMMENT ON TABLE "s"."t" IS 'Rows'`,
 *   `COMMENT ON COLUMN "s"."t"."d" IS 'Duration (unit: seconds)'`,
 * ]);
 * ```
 */
export function commentsSql(
  schema: string,
  table: SchemaFileTable,
  columns: readonly SchemaFileColumn[] = table.columns,
): string[] {
  const name = qualifiedName(schema, table.name);
  return [
    `COMMENT ON TABLE ${name} IS ${quoteLiteral(tableComment(table))}`,
    ...columns.map((column) =>
      `COMMENT ON COLUMN ${name}.${quoteIdentifier(column.name)} IS ${
        quoteLiteral(columnComment(column))
      }`
    ),
  ];
}

/**
 * `ALTER TABLE … ADD COLUMN` for a column the database lacks, with its comment.
 *
 * @param schema the database schema
 * @param table the table
 * @param column the new column
 * @param dialect the database
 * @returns the statements
 *
 * @example
 * ```ts
 * import { addColumnSql } from "./ddl.ts";
 * import assert from "node:assert/strict";
 * const column = { name: "x", type: "float", nullable: true, description: "X", unit: null } as const;
 * const table = { name: "t", description: "T", parent: null, columns: [column] };
 * assert.equal(addColumnSql("s", table as never, column, "postgres")[0],
 *   'ALTER TABLE "s"."t" ADD COLUMN IF NOT EXISTS "x" double precision');
 * ```
 */
export function addColumnSql(
  schema: string,
  table: SchemaFileTable,
  column: SchemaFileColumn,
  dialect: Dialect,
): string[] {
  return [
    `ALTER TABLE ${qualifiedName(schema, table.name)} ADD COLUMN IF NOT EXISTS ` +
    `${quoteIdentifier(column.name)} ${sqlType(column.type, dialect)}`,
    ...commentsSql(schema, table, [column]).slice(1),
  ];
}

/**
 * Every statement that creates a source's schema, tables, indexes and
 * comments; each is idempotent (`IF NOT EXISTS`), so running them again on a
 * loaded database changes nothing.
 *
 * @param file the source's `_schema.json` content
 * @param dialect the database
 * @returns the statements, parents before children
 *
 * @example
 * ```ts
 * import { schemaStatements } from "./ddl.ts";
 * import { schemaFile } from "./schema_file.ts";
 * import { ENGAGEMENT_HISTORY_SCHEMA } from "../sources/engagement_history/tables.ts";
 * import assert from "node:assert/strict";
 * const statements = schemaStatements(schemaFile(ENGAGEMENT_HISTORY_SCHEMA, ["csv"]), "postgres");
 * assert.equal(statements[0], 'CREATE SCHEMA IF NOT EXISTS "engagement_history"');
 * assert.ok(statements.some((sql) => sql.includes('"transcript_lines_parent_fk"')));
 * ```
 */
export function schemaStatements(file: SchemaFile, dialect: Dialect): string[] {
  const schema = databaseSchemaName(file.source);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`,
    ...file.tables.flatMap((table) => [
      createTableSql(schema, table, dialect),
      ...createIndexesSql(schema, table, file.recordKey, dialect),
      ...commentsSql(schema, table),
    ]),
  ];
}

/**
 * The ready DDL script written beside `_schema.json` (`_schema.duckdb.sql`,
 * `_schema.postgres.sql`), for anyone who creates the tables without the loader.
 *
 * @param file the source's `_schema.json` content
 * @param dialect the database
 * @returns the script
 *
 * @example
 * ```ts
 * import { ddlScript } from "./ddl.ts";
 * import { schemaFile } from "./schema_file.ts";
 * import { MESSAGING_SCHEMA } from "../sources/messaging/tables.ts";
 * import assert from "node:assert/strict";
 * const script = ddlScript(schemaFile(MESSAGING_SCHEMA, ["csv"]), "duckdb");
 * assert.match(script, /CREATE TABLE IF NOT EXISTS "messaging_interactions"\."conversation"/);
 * assert.match(script, /"conversationId" VARCHAR NOT NULL/);
 * ```
 */
export function ddlScript(file: SchemaFile, dialect: Dialect): string {
  const header = [
    `-- ${file.title}: tables of data/tables/${file.source}/ for ${
      dialect === "duckdb" ? "DuckDB" : "PostgreSQL"
    }.`,
    `-- Generated by lp-history from _schema.json; \`deno task load\` runs the same statements.`,
    ...(dialect === "duckdb"
      ? [
        "-- No foreign keys in DuckDB (see docs/LOAD.md): each table's comment names its join.",
        "-- No secondary indexes either: DuckDB skips row groups by their start-time ranges.",
      ]
      : []),
    "",
  ];
  return header.join("\n") +
    schemaStatements(file, dialect).map((statement) => `${statement};\n`).join("");
}
