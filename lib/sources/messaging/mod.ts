/**
 * The Messaging Interactions source (messaging).
 *
 * @module
 */

import type { Source } from "../source.ts";
import { MESSAGING_INTERACTIONS } from "./api.ts";
import { MESSAGING_SIMULATED } from "./simulator/mod.ts";
import { MESSAGING_SCHEMA } from "./tables.ts";

/**
 * Messaging Interactions: conversations fetched from `conversations/search`,
 * tables keyed by `conversationId`.
 *
 * @example
 * ```ts
 * import { MESSAGING_SOURCE } from "./mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(MESSAGING_SOURCE.api.name, MESSAGING_SOURCE.schema.source);
 * assert.equal(MESSAGING_SOURCE.simulated.name, MESSAGING_SOURCE.name);
 * ```
 */
export const MESSAGING_SOURCE: Source = {
  name: "messaging-interactions",
  title: "Messaging Interactions (messaging)",
  api: MESSAGING_INTERACTIONS,
  schema: MESSAGING_SCHEMA,
  simulated: MESSAGING_SIMULATED,
};
