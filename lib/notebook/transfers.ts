/**
 * Chat transfers. Engagement History has no transfer list: a transfer ends one engagement
 * (end reason 101 "transfer" or 106 "transfer to skill") and starts another for the same
 * visitor (start reason 1 "Transfer"). These functions link the two and follow the links into
 * paths such as `Billing → Technical support`.
 *
 * @module
 */
import pl from "nodejs-polars";

/** Options of {@linkcode transferPaths}. */
export interface TransferOptions {
  /**
   * Longest gap between the end of one chat and the start of the chat it was transferred to;
   * default 30 minutes. A later chat of the same visitor is a new contact, not a transfer.
   */
  readonly maxGapMinutes?: number;
  /** Column that names each step of a path; default `skill`. */
  readonly step?: string;
}

/** What {@linkcode transferPaths} found. */
export interface TransferPaths {
  /** One row per link: `fromId`, `toId`, `from`, `to` (step names), `gapSeconds`. */
  readonly links: pl.DataFrame;
  /** One row per path: `path` (`A → B → C`), `steps` and `chats` (Int64); most frequent first. */
  readonly paths: pl.DataFrame;
  /** Chats that ended with a transfer reason but have no linked next chat in the data. */
  readonly unmatched: number;
}

interface ChatRow {
  engagementId: string;
  visitorId: string | null;
  startMs: number | null;
  endMs: number | null;
  transferredIn: boolean;
  transferredOut: boolean;
  step: string;
}

/**
 * Links transferred chats to the chats they were transferred to and counts the paths.
 *
 * A chat B that started by transfer is linked to the latest earlier chat A of the same visitor
 * that started before B and ended (or was still open) at most `maxGapMinutes` before B
 * started. Paths follow the links from a chat that was not itself transferred in.
 *
 * @param chats One row per chat, from `chatsOf()` (needs `engagementId`, `visitorId`,
 *   `startMs`, `endMs`, `transferredIn`, `transferredOut` and the step column).
 * @param options Largest gap and the step column.
 * @returns Links, paths and the number of unmatched transfers.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { transferPaths } from "./transfers.ts";
 * import assert from "node:assert/strict";
 *
 * const chats = pl.DataFrame({
 *   engagementId: ["a", "b", "c"],
 *   visitorId: ["v", "v", "w"],
 *   startMs: [0, 120_000, 0],
 *   endMs: [60_000, 300_000, 60_000],
 *   transferredIn: [false, true, false],
 *   transferredOut: [true, false, true],
 *   skill: ["Billing", "Support", "Sales"],
 * });
 * const { paths, unmatched } = transferPaths(chats);
 * assert.deepEqual(paths.toRecords(), [{ path: "Billing → Support", steps: 2, chats: 1 }]);
 * assert.equal(unmatched, 1);
 * ```
 */
export function transferPaths(chats: pl.DataFrame, options: TransferOptions = {}): TransferPaths {
  const maxGapMs = (options.maxGapMinutes ?? 30) * 60_000;
  const step = options.step ?? "skill";
  const rows = chats.select(
    pl.col("engagementId"),
    pl.col("visitorId"),
    pl.col("startMs").cast(pl.Float64),
    pl.col("endMs").cast(pl.Float64),
    pl.col("transferredIn").fillNull(false),
    pl.col("transferredOut").fillNull(false),
    pl.col(step).cast(pl.Utf8).fillNull(pl.lit("(none)")).alias("step"),
  ).filter(pl.col("visitorId").isNotNull().and(pl.col("startMs").isNotNull()))
    .sort(["visitorId", "startMs", "engagementId"]).toRecords() as unknown as ChatRow[];

  const next = new Map<string, ChatRow>();
  const previous = new Map<string, ChatRow>();
  const links: Record<string, unknown>[] = [];
  for (let i = 1; i < rows.length; i++) {
    const b = rows[i]!;
    if (!b.transferredIn) continue;
    // The latest earlier chat of the same visitor that has no successor yet.
    for (let j = i - 1; j >= 0; j--) {
      const a = rows[j]!;
      if (a.visitorId !== b.visitorId) break;
      if (next.has(a.engagementId) || a.startMs! > b.startMs!) continue;
      const gap = b.startMs! - (a.endMs ?? a.startMs!);
      if (gap > maxGapMs) break;
      next.set(a.engagementId, b);
      previous.set(b.engagementId, a);
      links.push({
        fromId: a.engagementId,
        toId: b.engagementId,
        from: a.step,
        to: b.step,
        gapSeconds: Math.max(0, gap) / 1000,
      });
      break;
    }
  }
  const counts = new Map<string, { steps: number; chats: number }>();
  for (const row of rows) {
    if (previous.has(row.engagementId) || !next.has(row.engagementId)) continue;
    const names = [row.step];
    for (let at = next.get(row.engagementId); at; at = next.get(at.engagementId)) {
      names.push(at.step);
    }
    const path = names.join(" → ");
    const entry = counts.get(path) ?? { steps: names.length, chats: 0 };
    entry.chats += 1;
    counts.set(path, entry);
  }
  const unmatched = rows.filter((row) => row.transferredOut && !next.has(row.engagementId)).length;
  const paths = pl.DataFrame(
    [...counts].map(([path, { steps, chats }]) => ({ path, steps, chats })),
    { schema: { path: pl.Utf8, steps: pl.Int64, chats: pl.Int64 } },
  ).sort(["chats", "path"], [true, false]);
  const linkTable = pl.DataFrame(links, {
    schema: { fromId: pl.Utf8, toId: pl.Utf8, from: pl.Utf8, to: pl.Utf8, gapSeconds: pl.Float64 },
  });
  return { links: linkTable, paths, unmatched };
}
