/**
 * One row per chat with the columns the contact-centre questions need, derived once from the
 * `interaction` table: who handled it (a person, a bot or nobody), the skill, local times and
 * hours, the queue wait, abandonment and transfer flags.
 *
 * Bots are told apart by name: an agent whose full name, nickname, login name or agent group
 * matches {@linkcode BOT_PATTERN} (the word "bot" or "bots", any case: `Helper Bot`,
 * `helper.bot`, group `Bots`) is a bot. Engagement History has no agent-type field, so set
 * `botPattern` when your bots are named otherwise.
 *
 * @module
 */
import pl from "nodejs-polars";
import { localClock } from "./time.ts";

/** Names that mark an agent as a bot: the word "bot" or "bots" in any case (Rust regex syntax). */
export const BOT_PATTERN = "(?i)\\bbots?\\b";

/** What {@linkcode chatsOf} needs besides the table. */
export interface ChatOptions {
  /** IANA time zone for the local times and hours. */
  readonly timeZone: string;
  /** Column that names agents; default `agentFullName` (else nickname, login name, id). */
  readonly agentColumn?: string;
  /** Regular expression (Rust syntax) for bot names and groups; default {@linkcode BOT_PATTERN}. */
  readonly botPattern?: string;
}

/** Start reasons that mean the chat came from a transfer (codes and texts). */
const TRANSFER_IN = ["1", "Transfer"];
/** End reasons that mean the chat was transferred on: 101 transfer, 106 transfer to skill. */
const TRANSFER_OUT = ["101", "106"];

/**
 * Derives one row per chat from `interaction`.
 *
 * @param interaction The `interaction` table (as loaded, typed).
 * @param options Time zone, agent naming and bot pattern.
 * @returns Columns `engagementId`, `visitorId`, `agentId`, `agent` (the label, `(unassigned)`
 *   when none), `agentKind` (`human`, `bot` or `unassigned`), `skill` (`(no skill)` when none),
 *   `startMs`, `endMs`, `requestedMs` (epoch ms), `start` and `requested` (local clock),
 *   `startHour` and `requestHour` (Int64, local), `waitSeconds` (Float64, start − request;
 *   null without a request time), `abandoned` (Bool: not interactive), `durationMinutes`,
 *   `startReason`, `endReason` (code), `endReasonText`, `transferredIn`, `transferredOut`
 *   (Bool), `chatMCS`, `alertedMCS`; in start order, ties by id.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { chatsOf } from "./chats.ts";
 * import assert from "node:assert/strict";
 *
 * const interaction = pl.DataFrame({
 *   engagementId: ["e1", "e2"],
 *   agentId: ["3", "-1"],
 *   agentFullName: ["  Helper Bot  ", null],
 *   skillName: ["Billing", null],
 *   startTimeL: [Date.UTC(2024, 0, 1, 9), Date.UTC(2024, 0, 1, 10)],
 *   chatRequestedTimeL: [Date.UTC(2024, 0, 1, 8, 59, 30), null],
 *   isInteractive: [true, false],
 * });
 * const chats = chatsOf(interaction, { timeZone: "UTC" });
 * assert.deepEqual(chats.select("agent", "agentKind", "skill", "waitSeconds", "abandoned").toRecords(), [
 *   { agent: "Helper Bot", agentKind: "bot", skill: "Billing", waitSeconds: 30, abandoned: false },
 *   { agent: "(unassigned)", agentKind: "unassigned", skill: "(no skill)", waitSeconds: null, abandoned: true },
 * ]);
 * ```
 */
export function chatsOf(interaction: pl.DataFrame, options: ChatOptions): pl.DataFrame {
  const has = (name: string) => interaction.columns.includes(name);
  const text = (name: string) =>
    has(name) ? pl.col(name).cast(pl.Utf8).str.strip() : pl.lit(null).cast(pl.Utf8);
  const num = (name: string) => has(name) ? pl.col(name) : pl.lit(null);
  const epoch = (millis: string, time: string) =>
    has(millis)
      ? pl.col(millis).cast(pl.Int64)
      : has(time)
      ? pl.col(time).cast(pl.Int64)
      : pl.lit(null).cast(pl.Int64);
  const nameColumns = ["agentFullName", "agentNickName", "agentName", "agentLoginName"]
    .filter(has);
  const pattern = options.botPattern ?? BOT_PATTERN;
  const isBot = [...nameColumns, ...["agentGroupName"].filter(has)].reduce(
    (any, name) => any.or(pl.col(name).fillNull(pl.lit("")).str.contains(pattern)),
    pl.lit(false),
  );
  const agentId = text("agentId");
  const noAgentId = agentId.isNull().or(agentId.eq(pl.lit("-1"))).or(agentId.eq(pl.lit("")));
  const idLabel = pl.when(noAgentId).then(pl.lit(null).cast(pl.Utf8)).otherwise(agentId);
  const names = nameColumns.map((name) => nonEmpty(text(name)));
  const chosen = options.agentColumn ?? "agentFullName";
  const labels = [
    chosen === "agentId" ? idLabel : has(chosen) ? nonEmpty(text(chosen)) : undefined,
    ...names,
    idLabel,
  ].filter((expr): expr is pl.Expr => expr !== undefined);
  const unassigned = names.length === 0 ? noAgentId : noAgentId.and(firstNonNull(names).isNull());
  const interactive = has("isInteractive") && has("interactive")
    ? firstNonNull([pl.col("isInteractive"), pl.col("interactive")])
    : num(has("isInteractive") ? "isInteractive" : "interactive");
  const startReason = text("startReason");
  const endReason = text("endReason");
  const base = interaction.select(
    pl.col("engagementId"),
    text("visitorId").alias("visitorId"),
    agentId.alias("agentId"),
    firstNonNull(labels).fillNull(pl.lit("(unassigned)")).alias("agent"),
    pl.when(unassigned).then(pl.lit("unassigned")).when(isBot).then(pl.lit("bot"))
      .otherwise(pl.lit("human")).alias("agentKind"),
    text("skillName").fillNull(pl.lit("(no skill)")).alias("skill"),
    epoch("startTimeL", "startTime").alias("startMs"),
    epoch("endTimeL", "endTime").alias("endMs"),
    epoch("chatRequestedTimeL", "chatRequestedTime").alias("requestedMs"),
    interactive.cast(pl.Bool).not().alias("abandoned"),
    num("duration").cast(pl.Float64).div(60).alias("durationMinutes"),
    startReason.alias("startReason"),
    endReason.alias("endReason"),
    text("endReasonDesc").fillNull(pl.lit("(none)")).alias("endReasonText"),
    startReason.isIn(TRANSFER_IN).or(text("startReasonDesc").str.contains("(?i)^transfer$"))
      .fillNull(false).alias("transferredIn"),
    endReason.isIn(TRANSFER_OUT).or(text("endReasonDesc").str.contains("(?i)transfer"))
      .fillNull(false).alias("transferredOut"),
    num("chatMCS").cast(pl.Int64).alias("chatMCS"),
    num("alertedMCS").cast(pl.Int64).alias("alertedMCS"),
  );
  return base.withColumns(
    localClock("startMs", options.timeZone).alias("start"),
    localClock("requestedMs", options.timeZone).alias("requested"),
    pl.col("startMs").sub(pl.col("requestedMs")).cast(pl.Float64).div(1000).alias("waitSeconds"),
  ).withColumns(
    pl.col("start").dt.hour().cast(pl.Int64).alias("startHour"),
    pl.col("requested").dt.hour().cast(pl.Int64).alias("requestHour"),
  ).sort(["startMs", "engagementId"], [false, false], true).select(
    "engagementId",
    "visitorId",
    "agentId",
    "agent",
    "agentKind",
    "skill",
    "startMs",
    "endMs",
    "requestedMs",
    "start",
    "requested",
    "startHour",
    "requestHour",
    "waitSeconds",
    "abandoned",
    "durationMinutes",
    "startReason",
    "endReason",
    "endReasonText",
    "transferredIn",
    "transferredOut",
    "chatMCS",
    "alertedMCS",
  );
}

/** The first value that is not null, column by column (polars' coalesce). */
function firstNonNull(exprs: readonly pl.Expr[]): pl.Expr {
  return exprs.slice(1).reduce((acc, next) => acc.fillNull(next), exprs[0]!);
}

/** Null for the empty string (a blank name names nobody). */
function nonEmpty(expr: pl.Expr): pl.Expr {
  return pl.when(expr.eq(pl.lit(""))).then(pl.lit(null).cast(pl.Utf8)).otherwise(expr);
}
