/**
 * The table model the loader types columns with.
 *
 * @module
 */
import type { TableSpec } from "./load.ts";

/** Where the tables step keeps its declarative model, relative to this file. */
const MODEL_MODULE = "../tables/model.ts";

/**
 * The Engagement History table model (`ENGAGEMENT_HISTORY_TABLES` of lib/tables/model.ts).
 *
 * Loaded lazily so that the notebook helpers also work on a checkout without the tables step;
 * there, tables are typed by {@linkcode inferSpec} from their values.
 *
 * @returns The table specs, or an empty list when the model module is absent.
 *
 * @example
 * ```ts
 * import { engagementHistoryModels } from "./models.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(Array.isArray(await engagementHistoryModels()));
 * ```
 */
export async function engagementHistoryModels(): Promise<readonly TableSpec[]> {
  try {
    const module = await import(new URL(MODEL_MODULE, import.meta.url).href) as {
      ENGAGEMENT_HISTORY_TABLES?: readonly TableSpec[];
    };
    return module.ENGAGEMENT_HISTORY_TABLES ?? [];
  } catch (error) {
    if (error instanceof TypeError && /Module not found/i.test(error.message)) return [];
    throw error;
  }
}
