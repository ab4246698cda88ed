/**
 * The tables of Messaging Interactions records, from catalogue.json: every
 * table, key and column, with its source path in the record, type and
 * meaning, plus the SDE tables of the authenticated (`sdes`) and the
 * unauthenticated (`unAuthSdes`) events.
 *
 * @module
 */

import { NO_VALUE_TEXTS } from "../common/no_value.ts";
import { sdeTables } from "../common/sde_tables.ts";
import { schemaFromCatalogue } from "../../tables/catalogue.ts";
import type { SourceSchema } from "../../tables/schema.ts";
import CATALOGUE from "./catalogue.json" with { type: "json" };

/**
 * Every table built from Messaging Interactions records, parents before children.
 *
 * @example
 * ```ts
 * import { MESSAGING_SCHEMA } from "./tables.ts";
 * import assert from "node:assert/strict";
 * const conversation = MESSAGING_SCHEMA.tables[0]!;
 * assert.deepEqual(conversation.primaryKey, ["conversationId"]);
 * const answers = MESSAGING_SCHEMA.tables.find((table) => table.name === "agent_survey_answers")!;
 * assert.deepEqual(answers.primaryKey, ["conversationId", "surveyPosition", "questionPosition", "position"]);
 * ```
 */
export const MESSAGING_SCHEMA: SourceSchema = schemaFromCatalogue(CATALOGUE, {
  noValueTexts: NO_VALUE_TEXTS,
  lists: [
    ...sdeTables({ parent: CATALOGUE.base.name, list: "sdes.events", prefix: "sde" }),
    ...sdeTables({
      parent: CATALOGUE.base.name,
      list: "unAuthSdes.events",
      prefix: "unauth_sde",
      note: "unauthenticated",
    }),
  ],
});
