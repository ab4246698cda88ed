/**
 * Writing names and values into SQL text safely, the same way for DuckDB and
 * PostgreSQL: both follow the SQL standard's quoting.
 *
 * @module
 */

/** The databases the loader writes to. */
export type Dialect = "duckdb" | "postgres";

/**
 * Quotes an identifier, so that case is kept (`"engagementId"`) and any
 * character is safe.
 *
 * @param name a schema, table or column name
 * @returns the quoted identifier
 *
 * @example
 * ```ts
 * import { quoteIdentifier } from "./sql_text.ts";
 * import assert from "node:assert/strict";
 * assert.equal(quoteIdentifier("engagementId"), '"engagementId"');
 * assert.equal(quoteIdentifier('odd"name'), '"odd""name"');
 * ```
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Quotes a text as a string literal (standard-conforming: only `'` is doubled).
 *
 * @param text the text
 * @returns the literal
 * @throws {RangeError} for a NUL character, which neither database stores in text
 *
 * @example
 * ```ts
 * import { quoteLiteral } from "./sql_text.ts";
 * import assert from "node:assert/strict";
 * assert.equal(quoteLiteral("it's"), "'it''s'");
 * ```
 */
export function quoteLiteral(text: string): string {
  if (text.includes("\0")) throw new RangeError("A SQL text literal cannot hold a NUL character");
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * A schema-qualified, quoted table name.
 *
 * @param schema the database schema
 * @param table the table
 * @returns `"schema"."table"`
 *
 * @example
 * ```ts
 * import { qualifiedName } from "./sql_text.ts";
 * import assert from "node:assert/strict";
 * assert.equal(qualifiedName("messaging_interactions", "messages"), '"messaging_interactions"."messages"');
 * ```
 */
export function qualifiedName(schema: string, table: string): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
}
