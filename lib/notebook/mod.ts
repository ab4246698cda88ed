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
import {
  type LoadOptions,
  loadTable as loadOne,
  loadTables as loadAll,
  sourceTablesDir,
  TABLES_DIR_ENV,
  tablesDir,
  tableSpecs,
} from "./load.ts";

export { default as pl } from "nodejs-polars";
export * as Plot from "@observablehq/plot";
export { type ChartOptions, MAX_CHART_BYTES, plotSvg } from "./chart.ts";
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
  PROJECT_ROOT,
  sourceTablesDir,
  TABLES_DIR_ENV,
  tablesDir,
  type TableSpec,
  tableSpecs,
  type TimeRange,
  withinRange,
} from "./load.ts";
export { countBy, explodeJsonList, tableSummary } from "./summary.ts";
export {
  type Reader,
  READER_TYPES,
  READERS,
  type ReadRecipeOptions,
  type ReadRecipes,
  readRecipes,
  readRecipesOf,
} from "./read_recipes.ts";
export {
  DATABASE_ENV,
  databasePath,
  queryDatabase,
  type QueryDatabaseOptions,
} from "./database.ts";
export {
  describeSettings,
  FROM_ENV,
  type NotebookSettings,
  notebookSettings,
  type SettingsDefaults,
  TIME_ZONE_ENV,
  TO_ENV,
} from "./settings.ts";
export {
  bucketFor,
  bucketLabel,
  countPerHourOfDay,
  countPerPeriod,
  localClock,
  type TimeBucket,
  weekdayHourMeans,
  WEEKDAYS,
} from "./time.ts";
export { describeBy, rateBy, sortGroups, wilsonInterval } from "./stats.ts";
export {
  ANSWER_TONES,
  answerColors,
  answerScale,
  mergeScales,
  scoreAnswers,
  type SurveyScale,
} from "./survey_scale.ts";
export { BOT_PATTERN, type ChatOptions, chatsOf } from "./chats.ts";
export { firstResponses } from "./responses.ts";
export { answersTo, findQuestions } from "./surveys.ts";
export { type TransferPaths, transferPaths } from "./transfers.ts";
export { phrasesBy, STOPWORDS, topPhrases, words } from "./phrases.ts";
export { bandHeight, distributionMarks, orderOf, rateMarks } from "./chart_marks.ts";

/**
 * Loads every table of a source's tables folder, typed by the `_schema.json` the tables step
 * wrote beside them.
 *
 * @param options Folder (default `$LP_TABLES_DIR` or `data/tables`), source, models, format and
 *   time range; a notebook's `settings` are such options.
 * @returns One DataFrame per table, keyed by table name.
 *
 * @example
 * ```ts
 * import { loadTables } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/interaction.csv`, "engagementId|duration\n904123774000000045|61\n");
 * const columns = [{ name: "engagementId", type: "string" }];
 * Deno.writeTextFileSync(`${dir}/_schema.json`, JSON.stringify({ tables: [
 *   { name: "interaction", primaryKey: ["engagementId"], columns },
 *   { name: "transcript_lines", primaryKey: ["engagementId"], columns },
 * ] }));
 * await assert.rejects(() => loadTables({ dir }), /incomplete: it lacks transcript_lines/);
 * const models = [{ name: "interaction", primaryKey: ["engagementId"], columns: [] }];
 * const { interaction } = await loadTables({ dir, models });
 * assert.equal(interaction?.getColumn("engagementId").get(0), "904123774000000045");
 * ```
 */
export async function loadTables(
  options: LoadOptions = {},
): Promise<Record<string, pl.DataFrame>> {
  const dir = sourceTablesDir(options.dir ?? tablesDir(), { source: options.source });
  const models = options.models ?? await tableSpecs(dir);
  const tables = loadAll({ ...options, dir, models });
  const missing = models.map((model) => model.name).filter((name) => !(name in tables));
  if (missing.length > 0) {
    throw new Deno.errors.NotFound(
      `The tables folder ${dir} is incomplete: it lacks ${missing.slice(0, 5).join(", ")}` +
        `${
          missing.length > 5 ? ` and ${missing.length - 5} more` : ""
        }. Run \`deno task tables\` ` +
        `(or \`deno task demo\`) to write a complete set, or set ${TABLES_DIR_ENV} to one`,
    );
  }
  return tables;
}

/**
 * Loads one table, typed by the `_schema.json` beside it.
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
  const dir = sourceTablesDir(options.dir ?? tablesDir(), { source: options.source, table: name });
  return loadOne(name, { ...options, dir, models: options.models ?? await tableSpecs(dir) });
}
