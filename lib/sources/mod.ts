/**
 * Every source the tool knows. Adding a LivePerson history API is one folder
 * in lib/sources/ and one line here.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { ENGAGEMENT_HISTORY_SOURCE } from "./engagement_history/mod.ts";
import { MESSAGING_SOURCE } from "./messaging/mod.ts";
import type { Source } from "./source.ts";

export type { Source } from "./source.ts";

/** The sources, in the order they are fetched and built. */
export const SOURCES: readonly Source[] = Object.freeze([
  ENGAGEMENT_HISTORY_SOURCE,
  MESSAGING_SOURCE,
]);

/**
 * Finds a source by name.
 *
 * @param name the source's name
 * @param option the option it came from, for the message
 * @returns the source
 * @throws {UsageError} naming the known sources
 *
 * @example
 * ```ts
 * import { sourceByName } from "./mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(sourceByName("engagement-history").title, "Engagement History (chat)");
 * assert.throws(() => sourceByName("chat"), /Unknown --api "chat"/);
 * ```
 */
export function sourceByName(name: string, option = "--api"): Source {
  const source = SOURCES.find((candidate) => candidate.name === name);
  if (!source) {
    throw new UsageError(
      `Unknown ${option} "${name}": use ${SOURCES.map((known) => known.name).join(" or ")}`,
    );
  }
  return source;
}
