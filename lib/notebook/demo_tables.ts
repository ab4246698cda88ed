/**
 * Demo tables for the notebooks: the simulated week fetched from the built-in simulator and
 * turned into tables, generated on demand.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { runDemo } from "../demo.ts";

/** Options of {@linkcode ensureDemoTables}. */
export interface DemoTablesOptions {
  /** Folder for `raw/` and `tables/`, e.g. `data/demo`. */
  dataDir: string;
  /** Engagements in the simulated week; default the demo's size. Small values keep tests fast. */
  count?: number;
  /** Regenerate even when tables exist. */
  force?: boolean;
}

/**
 * Whether a folder holds the tables the notebooks need (at least `interaction`).
 *
 * @param dir A tables folder.
 * @returns True when `interaction.parquet` or `interaction.csv` exists there.
 *
 * @example
 * ```ts
 * import { hasTables } from "./demo_tables.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(hasTables(Deno.makeTempDirSync()), false);
 * ```
 */
export function hasTables(dir: string): boolean {
  return existsSync(join(dir, "interaction.parquet")) || existsSync(join(dir, "interaction.csv"));
}

/**
 * Makes sure `<dataDir>/tables` holds demo tables: runs the demo (the simulated week fetched from
 * the built-in simulator into `<dataDir>/raw`, then CSV and Parquet tables), unless they exist.
 *
 * @param options Folder, dataset size and whether to regenerate.
 * @returns The absolute tables folder.
 * @throws {Error} When the tables step writes no `interaction` table.
 *
 * @example
 * ```ts ignore
 * import { ensureDemoTables } from "./demo_tables.ts";
 *
 * const tables = await ensureDemoTables({ dataDir: await Deno.makeTempDir(), count: 100 });
 * console.log(tables);
 * ```
 */
export async function ensureDemoTables(options: DemoTablesOptions): Promise<string> {
  const dataDir = resolve(options.dataDir);
  const tablesDir = join(dataDir, "tables");
  if (!options.force && hasTables(tablesDir)) return tablesDir;
  // The demo fetches the simulated week and builds CSV and Parquet tables from it.
  await runDemo({ dataDir, count: options.count });
  if (!hasTables(tablesDir)) {
    throw new Error(`The tables step wrote no interaction table into ${tablesDir}`);
  }
  return tablesDir;
}
