/**
 * `lp_history.load_runs`: one row per load, so that anyone querying the
 * database sees what was loaded when, from what, and whether a load finished.
 * A load writes its row as `running` first, updates it inside every batch's
 * transaction (so `batches_done` counts exactly the committed batches) and
 * ends it as `succeeded` or `failed`. A row left `running` by a load that was
 * killed is marked `interrupted` by the next load.
 *
 * @module
 */

import type { LoadConnection } from "./connection.ts";
import { type Dialect, quoteLiteral } from "../tables/sql_text.ts";

/** The schema of the loader's own tables. */
export const LOADER_SCHEMA = "lp_history";

/** The table, qualified. */
export const LOAD_RUNS_TABLE = `${LOADER_SCHEMA}.load_runs`;

/** How a load ended, or that it has not. */
export type LoadStatus = "running" | "succeeded" | "failed" | "interrupted";

const COLUMNS: readonly (readonly [string, Record<Dialect, string>, string])[] = [
  ["run_id", { duckdb: "VARCHAR", postgres: "text" }, "Id of the load (a UUID)"],
  ["started_at", { duckdb: "TIMESTAMPTZ", postgres: "timestamptz" }, "When the load started"],
  [
    "finished_at",
    { duckdb: "TIMESTAMPTZ", postgres: "timestamptz" },
    "When it ended; null while running",
  ],
  [
    "status",
    { duckdb: "VARCHAR", postgres: "text" },
    "running, succeeded, failed, or interrupted (killed; seen by the next load)",
  ],
  ["input", { duckdb: "VARCHAR", postgres: "text" }, "The tables folder loaded"],
  [
    "input_summary",
    { duckdb: "JSON", postgres: "json" },
    "Per source: its folder, records and rows per table as the tables step wrote them, format read",
  ],
  ["batches_total", { duckdb: "BIGINT", postgres: "bigint" }, "Batches of records to load"],
  [
    "batches_done",
    { duckdb: "BIGINT", postgres: "bigint" },
    "Batches committed; each batch is one transaction",
  ],
  ["records_new", { duckdb: "BIGINT", postgres: "bigint" }, "Records not in the database before"],
  [
    "records_replaced",
    { duckdb: "BIGINT", postgres: "bigint" },
    "Records already in the database, whose rows were replaced by this load's",
  ],
  [
    "rows_loaded",
    { duckdb: "JSON", postgres: "json" },
    "Rows written per table (schema.table), in committed batches",
  ],
  [
    "columns_added",
    { duckdb: "JSON", postgres: "json" },
    "Columns the database lacked and this load added (schema drift)",
  ],
  ["message", { duckdb: "VARCHAR", postgres: "text" }, "Why a failed load failed"],
];

/**
 * Statements that create `lp_history.load_runs` when missing.
 *
 * @param dialect the database
 * @returns the statements
 *
 * @example
 * ```ts
 * import { loadRunsStatements } from "./load_runs.ts";
 * import assert from "node:assert/strict";
 * assert.match(loadRunsStatements("postgres")[1]!, /"rows_loaded" json/);
 * ```
 */
export function loadRunsStatements(dialect: Dialect): string[] {
  return [
    `CREATE SCHEMA IF NOT EXISTS ${LOADER_SCHEMA}`,
    `CREATE TABLE IF NOT EXISTS ${LOAD_RUNS_TABLE} (\n  ${
      COLUMNS.map(([name, types]) =>
        `"${name}" ${types[dialect]}${name === "run_id" ? " PRIMARY KEY" : ""}`
      ).join(",\n  ")
    }\n)`,
    `COMMENT ON TABLE ${LOAD_RUNS_TABLE} IS 'One row per deno task load: when, from what, ` +
    `rows per table, outcome'`,
    ...COLUMNS.map(([name, , description]) =>
      `COMMENT ON COLUMN ${LOAD_RUNS_TABLE}."${name}" IS ${quoteLiteral(description)}`
    ),
  ];
}

function json(value: unknown): string {
  return quoteLiteral(JSON.stringify(value));
}

function timestamp(ms: number): string {
  return `CAST(${quoteLiteral(new Date(ms).toISOString())} AS TIMESTAMPTZ)`;
}

/** What a load's row says at its start. */
export interface LoadRunStart {
  readonly runId: string;
  readonly startedAt: number;
  readonly input: string;
  readonly inputSummary: unknown;
  readonly batchesTotal: number;
  readonly columnsAdded: unknown;
}

/**
 * Marks the rows of loads that never ended as `interrupted`. Call it only
 * while holding the database for this load, so that no other load is running.
 *
 * @param db the connection
 * @returns the start times of the interrupted loads, ISO-8601
 */
export async function markInterruptedRuns(db: LoadConnection): Promise<string[]> {
  const rows = await db.query(
    `SELECT CAST(started_at AS VARCHAR) AS started FROM ${LOAD_RUNS_TABLE} ` +
      `WHERE status = 'running' ORDER BY started_at`,
  );
  if (rows.length > 0) {
    await db.execute(
      `UPDATE ${LOAD_RUNS_TABLE} SET status = 'interrupted' WHERE status = 'running'`,
    );
  }
  return rows.map((row) => String(row.started));
}

/**
 * Writes a load's row as `running`.
 *
 * @param db the connection
 * @param run what the row says
 */
export async function startLoadRun(db: LoadConnection, run: LoadRunStart): Promise<void> {
  await db.execute(
    `INSERT INTO ${LOAD_RUNS_TABLE} (run_id, started_at, status, input, input_summary, ` +
      `batches_total, batches_done, records_new, records_replaced, rows_loaded, columns_added) ` +
      `VALUES (${quoteLiteral(run.runId)}, ${timestamp(run.startedAt)}, 'running', ` +
      `${quoteLiteral(run.input)}, ${json(run.inputSummary)}, ${run.batchesTotal}, 0, 0, 0, ` +
      `'{}', ${json(run.columnsAdded)})`,
  );
}

/** Counts so far, written with each batch. */
export interface LoadRunProgress {
  readonly batchesDone: number;
  readonly recordsNew: number;
  readonly recordsReplaced: number;
  readonly rowsLoaded: Readonly<Record<string, number>>;
}

/**
 * Records a batch's counts; run it inside the batch's transaction.
 *
 * @param db the connection
 * @param runId the load
 * @param progress the counts so far
 */
export async function recordLoadProgress(
  db: LoadConnection,
  runId: string,
  progress: LoadRunProgress,
): Promise<void> {
  await db.execute(
    `UPDATE ${LOAD_RUNS_TABLE} SET batches_done = ${progress.batchesDone}, ` +
      `records_new = ${progress.recordsNew}, records_replaced = ${progress.recordsReplaced}, ` +
      `rows_loaded = ${json(progress.rowsLoaded)} WHERE run_id = ${quoteLiteral(runId)}`,
  );
}

/**
 * Ends a load's row.
 *
 * @param db the connection
 * @param runId the load
 * @param outcome `succeeded`, or `failed` with the reason
 * @param finishedAt when, epoch ms
 */
export async function finishLoadRun(
  db: LoadConnection,
  runId: string,
  outcome: { readonly status: "succeeded" | "failed"; readonly message?: string },
  finishedAt: number,
): Promise<void> {
  await db.execute(
    `UPDATE ${LOAD_RUNS_TABLE} SET status = ${quoteLiteral(outcome.status)}, ` +
      `finished_at = ${timestamp(finishedAt)}, message = ${
        outcome.message === undefined ? "NULL" : quoteLiteral(outcome.message)
      } WHERE run_id = ${quoteLiteral(runId)}`,
  );
}
