/**
 * Moving one source's staged tables into its database tables, a batch of
 * records at a time, each batch one transaction: the batch's base rows are
 * upserted and the child rows of its records replaced, so a reload never
 * duplicates and a failure or a kill leaves every record either as it was or
 * wholly as this export has it.
 *
 * @module
 */

import type { SchemaFile, SchemaFileTable } from "../tables/schema_file.ts";
import type { LoadConnection } from "./connection.ts";
import { databaseSchemaName } from "../tables/ddl.ts";
import { qualifiedName, quoteIdentifier } from "../tables/sql_text.ts";

/** Name of the temporary table that assigns every staged record to its batch. */
export const BATCHES_TABLE = "lp_load_batches";

/** A source whose tables are staged. */
export interface StagedSource {
  readonly schema: SchemaFile;
  /** Temporary table name per table name. */
  readonly stageTables: ReadonlyMap<string, string>;
  /** Rows staged per table name. */
  readonly stagedRows: ReadonlyMap<string, number>;
}

/** How a source's batches are cut. */
export interface BatchPlan {
  readonly batches: number;
  /**
   * Tables that held no rows when the load began: no batch needs to delete
   * from them, as each batch's records are its own.
   */
  readonly emptyTables: ReadonlySet<string>;
}

/** What one batch wrote. */
export interface BatchResult {
  /** Records of the batch that were not in the database. */
  readonly recordsNew: number;
  /** Records of the batch already in the database, now replaced. */
  readonly recordsReplaced: number;
  /** Rows written per table name. */
  readonly rows: Readonly<Record<string, number>>;
}

function columnList(table: SchemaFileTable): string {
  return table.columns.map((column) => quoteIdentifier(column.name)).join(", ");
}

/**
 * Assigns the staged records to batches of `size`, in start-time order, in
 * the temporary table {@linkcode BATCHES_TABLE}.
 *
 * @param db the connection
 * @param source the staged source
 * @param size records per batch
 * @returns the number of batches and the tables that are empty yet
 */
export async function planBatches(
  db: LoadConnection,
  source: StagedSource,
  size: number,
): Promise<BatchPlan> {
  const base = source.schema.tables[0]!;
  const { id, start } = source.schema.recordKey;
  const stage = quoteIdentifier(source.stageTables.get(base.name)!);
  const order = `${quoteIdentifier(start)}, ${quoteIdentifier(id)}`;
  await db.execute(`DROP TABLE IF EXISTS ${BATCHES_TABLE}`);
  await db.execute(
    `CREATE TEMP TABLE ${BATCHES_TABLE} AS SELECT ${quoteIdentifier(id)} AS record_id, ` +
      `${
        db.integerQuotient(`row_number() OVER (ORDER BY ${order}) - 1`, size)
      } AS batch FROM ${stage}`,
  );
  if (db.dialect === "postgres") {
    await db.execute(`CREATE INDEX ON ${BATCHES_TABLE} (batch)`);
    await db.execute(`ANALYZE ${BATCHES_TABLE}`);
  }
  const [row] = await db.query(`SELECT count(DISTINCT batch) AS batches FROM ${BATCHES_TABLE}`);
  const schema = databaseSchemaName(source.schema.source);
  const emptyTables = new Set<string>();
  for (const table of source.schema.tables) {
    const [any] = await db.query(
      `SELECT count(*) AS found FROM (SELECT 1 FROM ${
        qualifiedName(schema, table.name)
      } LIMIT 1) t`,
    );
    if (Number(any?.found) === 0) emptyTables.add(table.name);
  }
  return { batches: Number(row?.batches ?? 0), emptyTables };
}

/**
 * Writes one batch, inside a transaction the caller opened: deletes the child
 * rows of the batch's records (deepest tables first), upserts their base rows
 * and inserts their child rows from the staged tables (parents first).
 *
 * @param db the connection, in a transaction
 * @param source the staged source
 * @param plan the batches' plan
 * @param batch the batch number
 * @returns what it wrote
 */
export async function writeBatch(
  db: LoadConnection,
  source: StagedSource,
  plan: BatchPlan,
  batch: number,
): Promise<BatchResult> {
  const schema = databaseSchemaName(source.schema.source);
  const { id } = source.schema.recordKey;
  const [base, ...children] = source.schema.tables;
  const inBatch = `${quoteIdentifier(id)} IN (SELECT record_id FROM ${BATCHES_TABLE} ` +
    `WHERE batch = ${batch})`;
  const target = (table: SchemaFileTable) => qualifiedName(schema, table.name);
  const stage = (table: SchemaFileTable) => quoteIdentifier(source.stageTables.get(table.name)!);

  const [existing] = await db.query(
    `SELECT count(*) AS records FROM ${target(base!)} WHERE ${inBatch}`,
  );
  // Statements that cannot change anything are skipped: each costs DuckDB some milliseconds.
  for (const child of [...children].reverse()) {
    if (plan.emptyTables.has(child.name)) continue;
    await db.execute(`DELETE FROM ${target(child)} WHERE ${inBatch}`);
  }
  const rows: Record<string, number> = {};
  const updates = base!.columns.filter((column) => !base!.primaryKey.includes(column.name))
    .map((column) => `${quoteIdentifier(column.name)} = EXCLUDED.${quoteIdentifier(column.name)}`);
  rows[base!.name] = await db.execute(
    `INSERT INTO ${target(base!)} (${columnList(base!)}) SELECT ${columnList(base!)} ` +
      `FROM ${stage(base!)} WHERE ${inBatch} ON CONFLICT (${
        base!.primaryKey.map(quoteIdentifier).join(", ")
      }) DO ${updates.length > 0 ? `UPDATE SET ${updates.join(", ")}` : "NOTHING"}`,
  );
  for (const child of children) {
    if (source.stagedRows.get(child.name) === 0) {
      rows[child.name] = 0;
      continue;
    }
    rows[child.name] = await db.execute(
      `INSERT INTO ${target(child)} (${columnList(child)}) SELECT ${columnList(child)} ` +
        `FROM ${stage(child)} WHERE ${inBatch}`,
    );
  }
  const replaced = Number(existing?.records ?? 0);
  return { recordsNew: rows[base!.name]! - replaced, recordsReplaced: replaced, rows };
}
