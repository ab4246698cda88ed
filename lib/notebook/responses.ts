/**
 * First response: how long a visitor waits, from asking for a chat, until an agent (person or
 * bot) writes the first line.
 *
 * @module
 */
import pl from "nodejs-polars";

/**
 * Joins each chat to its first agent line and measures the time to it from the chat request
 * (`chatRequestedTime`, what the visitor experiences) and from the chat's start.
 *
 * @param chats One row per chat, from `chatsOf()` (needs `engagementId`, `requestedMs`,
 *   `startMs`).
 * @param lines The `transcript_lines` table (needs `engagementId`, `source` and `timeL` or
 *   `time`).
 * @returns The chats' columns plus `firstAgentMs` (Int64), `fromRequestSeconds` and
 *   `fromStartSeconds` (Float64); null where no agent wrote or a time is missing.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { firstResponses } from "./responses.ts";
 * import assert from "node:assert/strict";
 *
 * const chats = pl.DataFrame({ engagementId: ["e1", "e2"], requestedMs: [0, 0], startMs: [20_000, 5_000] });
 * const lines = pl.DataFrame({
 *   engagementId: ["e1", "e1", "e1"],
 *   source: ["visitor", "agent", "agent"],
 *   timeL: [25_000, 50_000, 90_000],
 * });
 * const first = firstResponses(chats, lines);
 * assert.deepEqual(first.select("engagementId", "fromRequestSeconds", "fromStartSeconds").toRecords(), [
 *   { engagementId: "e1", fromRequestSeconds: 50, fromStartSeconds: 30 },
 *   { engagementId: "e2", fromRequestSeconds: null, fromStartSeconds: null },
 * ]);
 * ```
 */
export function firstResponses(chats: pl.DataFrame, lines: pl.DataFrame): pl.DataFrame {
  const at = lines.columns.includes("timeL")
    ? pl.col("timeL").cast(pl.Int64)
    : pl.col("time").cast(pl.Int64);
  const firstAgent = lines.filter(pl.col("source").eq(pl.lit("agent")))
    .select(pl.col("engagementId"), at.alias("lineMs"))
    .filter(pl.col("lineMs").isNotNull())
    .groupBy("engagementId").agg(pl.col("lineMs").min().alias("firstAgentMs"));
  const seconds = (from: string) =>
    pl.col("firstAgentMs").sub(pl.col(from).cast(pl.Int64)).cast(pl.Float64).div(1000);
  return chats.join(firstAgent, { on: "engagementId", how: "left" }).withColumns(
    seconds("requestedMs").alias("fromRequestSeconds"),
    seconds("startMs").alias("fromStartSeconds"),
  );
}
