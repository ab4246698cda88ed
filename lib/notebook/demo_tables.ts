/**
 * Demo tables for the notebooks: the simulated week fetched from the built-in simulator and
 * turned into tables, generated on demand.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { runDemo } from "../demo.ts";

/** Where the tables step lives, relative to this file (loaded on demand; see below). */
const BUILD_MODULE = "../tables/build.ts";

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
 * Makes sure `<dataDir>/tables` holds demo tables: fetches the simulated week from the built-in
 * simulator into `<dataDir>/raw` and builds CSV and Parquet tables from it, unless they exist.
 *
 * @param options Folder, dataset size and whether to regenerate.
 * @returns The absolute tables folder.
 * @throws {Error} When the tables step is not part of this checkout.
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
  const { rawDir } = await runDemo({ dataDir, count: options.count });
  if (!hasTables(tablesDir)) {
    await buildTables({ inDir: resolve(rawDir), outDir: tablesDir, formats: ["csv", "parquet"] });
  }
  if (!hasTables(tablesDir)) {
    throw new Error(`The tables step wrote no interaction table into ${tablesDir}`);
  }
  return tablesDir;
}

/** The options the tables step takes. */
interface BuildOptions {
  inDir: string;
  outDir: string;
  formats: readonly ("csv" | "parquet")[];
}

/** Calls the tables step's `buildTables`, loaded on demand so this module type-checks alone. */
async function buildTables(options: BuildOptions): Promise<void> {
  let module: { buildTables?: (options: BuildOptions) => Promise<unknown> };
  try {
    module = await import(new URL(BUILD_MODULE, import.meta.url).href);
  } catch (error) {
    throw new Error(`The tables step (lib/tables/build.ts) could not be loaded: ${error}`);
  }
  if (typeof module.buildTables !== "function") {
    throw new Error("lib/tables/build.ts does not export buildTables()");
  }
  await module.buildTables(options);
}
