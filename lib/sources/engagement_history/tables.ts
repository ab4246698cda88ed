/**
 * The tables of Engagement History records, from catalogue.json: every table,
 * key and column, with its source path in the record, type and meaning, plus
 * the SDE tables every LivePerson source shares. The flattener, the CSV
 * header, the Parquet schema, `_schema.json` and docs/TABLES.md all come from
 * it.
 *
 * - `campaign` and `visitorInfo` are one-to-one with an engagement, so they
 *   are prefixed columns of `interaction` (`campaign_campaignId`,
 *   `visitorInfo_country`): no join for the most common questions.
 * - Ids are text. Numbers keep the exact text the server sent.
 *
 * @module
 */

import { NO_VALUE_TEXTS } from "../common/no_value.ts";
import { sdeTables } from "../common/sde_tables.ts";
import { schemaFromCatalogue } from "../../tables/catalogue.ts";
import type { SourceSchema } from "../../tables/schema.ts";
import CATALOGUE from "./catalogue.json" with { type: "json" };

/**
 * Every table built from Engagement History records, parents before children.
 *
 * @example
 * ```ts
 * import { ENGAGEMENT_HISTORY_SCHEMA } from "./tables.ts";
 * import assert from "node:assert/strict";
 * const interaction = ENGAGEMENT_HISTORY_SCHEMA.tables[0]!;
 * assert.equal(interaction.name, "interaction");
 * assert.deepEqual(interaction.primaryKey, ["engagementId"]);
 * assert.ok(ENGAGEMENT_HISTORY_SCHEMA.tables.some((table) => table.name === "surveys_postchat"));
 * ```
 */
export const ENGAGEMENT_HISTORY_SCHEMA: SourceSchema = schemaFromCatalogue(CATALOGUE, {
  noValueTexts: NO_VALUE_TEXTS,
  lists: sdeTables({ parent: CATALOGUE.base.name, list: "sdes.events", prefix: "sde" }),
});
