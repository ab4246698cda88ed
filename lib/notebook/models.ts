/**
 * The table model the loader types columns with.
 *
 * @module
 */
import { ENGAGEMENT_HISTORY_TABLES } from "../tables/model.ts";
import type { TableSpec } from "./load.ts";

/**
 * The Engagement History table model (`ENGAGEMENT_HISTORY_TABLES` of lib/tables/model.ts), the
 * single source of column types; tables it does not describe are typed by `inferSpec`.
 *
 * @returns The table specs.
 *
 * @example
 * ```ts
 * import { engagementHistoryModels } from "./models.ts";
 * import assert from "node:assert/strict";
 *
 * const models = await engagementHistoryModels();
 * assert.deepEqual(models.find((m) => m.name === "interaction")?.primaryKey, ["engagementId"]);
 * ```
 */
export function engagementHistoryModels(): Promise<readonly TableSpec[]> {
  return Promise.resolve(ENGAGEMENT_HISTORY_TABLES);
}
