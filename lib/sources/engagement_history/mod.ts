/**
 * The Engagement History source (legacy chat).
 *
 * @module
 */

import type { Source } from "../source.ts";
import { ENGAGEMENT_HISTORY } from "./api.ts";
import { ENGAGEMENT_HISTORY_SIMULATED } from "./simulator/mod.ts";
import { ENGAGEMENT_HISTORY_SCHEMA } from "./tables.ts";

/**
 * Engagement History: chats fetched from `interactions/search`, tables keyed
 * by `engagementId`.
 *
 * @example
 * ```ts
 * import { ENGAGEMENT_HISTORY_SOURCE } from "./mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(ENGAGEMENT_HISTORY_SOURCE.api.name, ENGAGEMENT_HISTORY_SOURCE.schema.source);
 * ```
 */
export const ENGAGEMENT_HISTORY_SOURCE: Source = {
  name: "engagement-history",
  title: "Engagement History (chat)",
  api: ENGAGEMENT_HISTORY,
  schema: ENGAGEMENT_HISTORY_SCHEMA,
  simulated: ENGAGEMENT_HISTORY_SIMULATED,
};
