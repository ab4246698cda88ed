/**
 * SQL over the database `deno task load` wrote, from a notebook: a query's
 * result as a typed nodejs-polars DataFrame. DuckDB writes the result as
 * Parquet and polars reads it back, so ids stay text, counts integers and
 * times `Datetime(UTC)`.
 *
 * @module
 */

import pl from "nodejs-polars";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { openDuckDb } from "../load/duckdb.ts";
import { quoteLiteral } from "../tables/sql_text.ts";

/** Environment variable naming the database file (as for `deno task load`). */
export const DATABASE_ENV = "LP_DATABASE_URL";

/** Options of {@linkcode queryDatabase}. */
export interface QueryDatabaseOptions {
  /** The DuckDB file; default {@linkcode databasePath}(). */
  readonly path?: string;
}

/**
 * Where the database is: `$LP_DATABASE_URL` when it names a file, else
 * `../data/lp-history.duckdb` relative to the current folder (a notebook runs
 * in `notebooks/`), or the demo's `../data/demo/lp-history.duckdb` when only
 * that exists.
 *
 * @param options environment and current folder, for tests
 * @returns an absolute path
 *
 * @example
 * ```ts
 * import { databasePath } from "./database.ts";
 * import assert from "node:assert/strict";
 * assert.equal(databasePath({ env: () => undefined, cwd: "/repo/notebooks" }),
 *   "/repo/data/lp-history.duckdb");
 * ```
 */
export function databasePath(
  options: { env?: (name: string) => string | undefined; cwd?: string } = {},
): string {
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  const cwd = options.cwd ?? Deno.cwd();
  const named = env(DATABASE_ENV)?.trim();
  if (named && !/^[a-z][a-z0-9+.-]*:\/\//i.test(named)) return resolve(cwd, named);
  const own = resolve(cwd, "..", "data", "lp-history.duckdb");
  const demo = resolve(cwd, "..", "data", "demo", "lp-history.duckdb");
  return !existsSync(own) && existsSync(demo) ? demo : own;
}

/**
 * Runs a query on the DuckDB database and returns its result.
 *
 * @param sql one SELECT (or WITH … SELECT) query
 * @param options the database file
 * @returns the result, typed
 * @throws {Deno.errors.NotFound} when there is no database yet (run `deno task load`)
 *
 * @example
 * ```ts
 * import { queryDatabase } from "./database.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const df = await queryDatabase("SELECT '904123774000000045' AS id, 3 AS n", {
 *   path: `${dir}/lp.duckdb`,
 * }).catch((error) => error);
 * assert.ok(df instanceof Deno.errors.NotFound);
 * ```
 */
export async function queryDatabase(
  sql: string,
  options: QueryDatabaseOptions = {},
): Promise<pl.DataFrame> {
  const path = options.path ?? databasePath();
  if (!existsSync(path)) {
    throw new Deno.errors.NotFound(
      `No database at ${path}: run \`deno task load\` (or \`deno task demo\`), or set ` +
        `${DATABASE_ENV} to a DuckDB file`,
    );
  }
  const dir = await Deno.makeTempDir({ prefix: "lp-query-" });
  const db = await openDuckDb(path, { readOnly: true });
  try {
    const file = join(dir, "result.parquet");
    const query = sql.trim().replace(/;\s*$/, "");
    await db.execute(`COPY (${query}) TO ${quoteLiteral(file)} (FORMAT parquet)`);
    return pl.readParquet(file);
  } finally {
    await db.close();
    await Deno.remove(dir, { recursive: true });
  }
}
