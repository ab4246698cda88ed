/**
 * Everything a notebook needs in one import: typed table loading, display, charts and checks,
 * plus nodejs-polars (`pl`) and Observable Plot (`Plot`) so notebooks need no import map.
 *
 * ```ts ignore
 * import { check, loadTables, pl, Plot, showChart, showTable } from "../lib/notebook/mod.ts";
 *
 * const tables = await loadTables();
 * await showTable(tables.interaction!, { rows: 5 });
 * ```
 *
 * @module
 */
import type pl from "nodejs-polars";
import { type LoadOptions, loadTable as loadOne, loadTables as loadAll } from "./load.ts";
import { engagementHistoryModels } from "./models.ts";

export { default as pl } from "nodejs-polars";
export * as Plot from "@observablehq/plot";
export { type ChartOptions, plotSvg } from "./chart.ts";
export {
  chartBundle,
  display,
  type MediaBundle,
  showChart,
  showMarkdown,
  showTable,
  tableBundle,
  type TableOptions,
} from "./display.ts";
export { assertForeignKey, assertUniqueKey, check } from "./checks.ts";
export {
  castToModel,
  type ColumnSpec,
  type ColumnType,
  inferSpec,
  listTables,
  type LoadOptions,
  TABLES_DIR_ENV,
  tablesDir,
  type TableSpec,
} from "./load.ts";
export { engagementHistoryModels } from "./models.ts";
export { countBy, explodeJsonList, tableSummary } from "./summary.ts";

/**
 * Loads every table of the tables folder, typed by the Engagement History table model.
 *
 * @param options Folder (default `$LP_TABLES_DIR` or `../data/tables`), models and format.
 * @returns One DataFrame per table, keyed by table name.
 *
 * @example
 * ```ts
 * import { loadTables } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/interaction.csv`, "engagementId|duration\n904123774000000045|61\n");
 * const { interaction } = await loadTables({ dir });
 * assert.equal(interaction?.getColumn("engagementId").get(0), "904123774000000045");
 * ```
 */
export async function loadTables(
  options: LoadOptions = {},
): Promise<Record<string, pl.DataFrame>> {
  return loadAll({ ...options, models: options.models ?? await engagementHistoryModels() });
}

/**
 * Loads one table, typed by the Engagement History table model.
 *
 * @param name Table name, e.g. `"transcript_lines"`.
 * @param options Folder, models and format.
 * @returns The table.
 *
 * @example
 * ```ts
 * import { loadTable } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/interaction.csv`, "engagementId|duration\n1|61\n");
 * const df = await loadTable("interaction", { dir });
 * assert.equal(df.height, 1);
 * ```
 */
export async function loadTable(name: string, options: LoadOptions = {}): Promise<pl.DataFrame> {
  return loadOne(name, { ...options, models: options.models ?? await engagementHistoryModels() });
}
