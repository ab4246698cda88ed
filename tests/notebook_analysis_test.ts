/**
 * The notebook library's analyses and chart helpers on data shaped like a contact centre's:
 * charts that keep their size and tick count from one day to thirteen months, honest scales,
 * stable orders, and the contact-centre measures (waits, abandonment, bots, scores, transfers,
 * phrases).
 */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import * as Plot from "@observablehq/plot";
import { plotSvg } from "../lib/notebook/chart.ts";
import { distributionMarks, orderOf } from "../lib/notebook/chart_marks.ts";
import { chatsOf } from "../lib/notebook/chats.ts";
import { phrasesBy, topPhrases } from "../lib/notebook/phrases.ts";
import { firstResponses } from "../lib/notebook/responses.ts";
import { describeSettings, notebookSettings } from "../lib/notebook/settings.ts";
import { describeBy, rateBy } from "../lib/notebook/stats.ts";
import { countBy } from "../lib/notebook/summary.ts";
import { answerColors, answerScale, scoreAnswers } from "../lib/notebook/survey_scale.ts";
import { countPerPeriod, localClock, weekdayHourMeans } from "../lib/notebook/time.ts";
import { transferPaths } from "../lib/notebook/transfers.ts";
import { createRandom } from "../lib/simulator/random.ts";

const DAY = 86_400_000;

/** `count` start times spread over `days` days from 1 March 2024, as a local-clock column. */
function startsOver(days: number, count: number): pl.DataFrame {
  const random = createRandom(3);
  const from = Date.UTC(2024, 2, 1);
  const starts = Array.from({ length: count }, () => from + Math.floor(random.next() * days * DAY));
  return pl.DataFrame({ startMs: starts }).select(localClock("startMs", "UTC").alias("start"));
}

/** The chart of counts per period as the notebooks draw it. */
function periodChart(df: pl.DataFrame): { svg: string; bars: number } {
  const { data } = countPerPeriod(df, "start");
  const svg = plotSvg({
    title: "Engagements",
    x: { type: "utc", label: null },
    marks: [Plot.rectY(data.toRecords(), { x1: "period", x2: "periodEnd", y: "count" })],
  });
  return { svg, bars: data.height };
}

function xTickLabels(svg: string): number {
  const axis = /aria-label="x-axis tick label"[^>]*>(.*?)<\/g>/s.exec(svg)?.[1] ?? "";
  return (axis.match(/<text/g) ?? []).length;
}

Deno.test("a chart over time keeps between 24 and 100 bars and at most 12 tick labels, from one day to thirteen months", () => {
  for (const [days, bucketBars] of [[1, 24], [31, 31], [396, 58]] as const) {
    const { svg, bars } = periodChart(startsOver(days, 20_000));
    assert.ok(Math.abs(bars - bucketBars) <= 1, `${days} days: ${bars} bars`);
    const labels = xTickLabels(svg);
    assert.ok(labels >= 3 && labels <= 12, `${days} days: ${labels} tick labels`);
    assert.ok(svg.length < 40_000, `${days} days: ${svg.length} bytes`);
  }
});

Deno.test("a day without engagements is a zero bar, not a missing one", () => {
  const df = pl.DataFrame({ startMs: [Date.UTC(2024, 2, 1, 9), Date.UTC(2024, 2, 4, 9)] })
    .select(localClock("startMs", "UTC").alias("start"));
  const { data } = countPerPeriod(df, "start", {
    bucket: "day",
    from: "2024-03-01",
    to: "2024-03-05",
  });
  assert.deepEqual(data.getColumn("count").toArray(), [1, 0, 0, 1, 0]);
});

Deno.test("a distribution chart has about the same size for 1 000 and 100 000 rows", () => {
  const sizes = [1_000, 100_000].map((rows) => {
    const random = createRandom(rows);
    const df = pl.DataFrame({
      skill: Array.from({ length: rows }, (_, i) => ["Billing", "Sales", "Support"][i % 3]),
      wait: Array.from({ length: rows }, () => Math.round(random.next() * 120)),
    });
    const stats = describeBy(df, "skill", "wait");
    return plotSvg({
      title: "Wait",
      x: { domain: [0, 120] },
      y: { domain: orderOf(stats, "skill") },
      marks: distributionMarks(stats, { y: "skill" }),
    }).length;
  });
  // Only the numbers' digits differ: a hundred times the rows, not a byte more per row.
  assert.ok(Math.abs(sizes[0]! - sizes[1]!) < 0.2 * sizes[0]!, `sizes ${sizes}`);
});

Deno.test("plotSvg() refuses a dot per row at scale, naming the chart and the fix", () => {
  const rows = Array.from({ length: 20_000 }, (_, i) => ({ x: i % 101, y: `agent ${i % 6}` }));
  assert.throws(
    () => plotSvg({ title: "Chat MCS per agent", marks: [Plot.dot(rows, { x: "x", y: "y" })] }),
    (error: Error) =>
      error instanceof RangeError && /Chat MCS per agent/.test(error.message) &&
      /Aggregate first/.test(error.message),
  );
});

Deno.test("the weekday x hour means divide by how often each weekday occurs", () => {
  // March 2024 has five Fridays and four Mondays; one chat every day at 10:00.
  const starts = Array.from({ length: 31 }, (_, day) => Date.UTC(2024, 2, 1 + day, 10));
  const df = pl.DataFrame({ startMs: starts }).select(localClock("startMs", "UTC").alias("start"));
  const means = weekdayHourMeans(df, "start", { from: "2024-03-01", to: "2024-03-31" });
  const at10 = means.filter(pl.col("hour").eq(10)).select("day of week", "count", "days", "perDay");
  const friday = at10.filter(pl.col("day of week").eq(pl.lit("Fri"))).toRecords()[0];
  const monday = at10.filter(pl.col("day of week").eq(pl.lit("Mon"))).toRecords()[0];
  assert.deepEqual([friday?.count, friday?.days, friday?.perDay], [5, 5, 1]);
  assert.deepEqual([monday?.count, monday?.days, monday?.perDay], [4, 4, 1]);
});

Deno.test("ties sort the same way whatever the row order: two skills tied at 147", () => {
  const rows = [
    ...Array(147).fill("Sales"),
    ...Array(147).fill("Billing"),
    ...Array(3).fill("VIP"),
  ];
  const orders = [0, 1, 2].map((seed) => {
    const random = createRandom(seed);
    const shuffled = [...rows].sort(() => random.next() - 0.5);
    const df = pl.DataFrame({
      skill: shuffled,
      flag: shuffled.map((s, i) => s === "VIP" || i % 2 === 0),
    });
    return [
      countBy(df, "skill").getColumn("skill").toArray(),
      describeBy(df.withColumns(pl.lit(1).alias("v")), "skill", "v").getColumn("skill").toArray(),
      rateBy(df, "skill", "flag").getColumn("skill").toArray(),
    ];
  });
  assert.deepEqual(orders[0]![0], ["Billing", "Sales", "VIP"]);
  assert.deepEqual(orders[1], orders[0]);
  assert.deepEqual(orders[2], orders[0]);
});

Deno.test("survey answers are ordered bad to good, coloured red to green, and scored with their count", () => {
  const answers = ["Great", "OK", "Poor", "Great", "Great", "Poor"];
  const scale = answerScale(answers);
  assert.deepEqual(scale.levels, ["Poor", "OK", "Great"]);
  const { domain, range } = answerColors(scale);
  assert.deepEqual(domain, ["Poor", "OK", "Great"]);
  const [red, , green] = range.map((color) =>
    /rgb\((\d+), (\d+), (\d+)\)/.exec(color)!.slice(1).map(Number)
  );
  assert.ok(red![0]! > red![1]! && green![1]! > green![0]!, `colours ${range}`);
  const df = pl.DataFrame({ agent: answers.map((_, i) => (i < 3 ? "a" : "b")), value: answers });
  const scores = scoreAnswers(df, { by: "agent", scale }).toRecords();
  assert.deepEqual(scores.map((s) => [s.agent, s.answers, s["top box %"], s["net score"]]), [
    ["a", 3, 33.3, 0],
    ["b", 3, 66.7, 33.3],
  ]);
  const resolution = answerScale(["Resolved", "Escalated", "Resolved"]);
  assert.deepEqual([resolution.good, resolution.bad], [["Resolved"], ["Escalated"]]);
  assert.equal(answerScale(["Speed", "Knowledge"]).ordered, false);
  assert.deepEqual(answerScale(["4", "5", "1"]).good, ["4", "5"]);
});

Deno.test("chatsOf() tells bots, people and unassigned chats apart, and measures waits and abandonment", () => {
  const interaction = pl.DataFrame({
    engagementId: ["1", "2", "3", "4"],
    agentId: ["3", "213185812", "-1", "77"],
    agentFullName: ["  Helper Bot  ", "Maya Katz", null, "Robotics Team Lead"],
    agentNickName: ["Bot | helper", "Maya", null, "Rob"],
    skillName: ["Billing", "Billing", null, "Sales"],
    startTimeL: [1_000_000, 2_000_000, 3_000_000, 4_000_000],
    chatRequestedTimeL: [990_000, 1_940_000, null, 4_010_000],
    isInteractive: [true, true, false, true],
  });
  const chats = chatsOf(interaction, { timeZone: "UTC" });
  assert.deepEqual(chats.getColumn("agentKind").toArray(), ["bot", "human", "unassigned", "human"]);
  assert.deepEqual(chats.getColumn("waitSeconds").toArray(), [10, 60, null, -10]);
  assert.deepEqual(chats.getColumn("abandoned").toArray(), [false, false, true, false]);
  const custom = chatsOf(interaction, { timeZone: "UTC", botPattern: "(?i)^rob$" });
  assert.deepEqual(custom.getColumn("agentKind").toArray(), [
    "human",
    "human",
    "unassigned",
    "bot",
  ]);
});

Deno.test("firstResponses() measures from the chat request, not from the start", () => {
  const chats = pl.DataFrame({ engagementId: ["1"], requestedMs: [0], startMs: [45_000] });
  const lines = pl.DataFrame({
    engagementId: ["1", "1", "1"],
    source: ["system", "agent", "agent"],
    timeL: [1_000, 60_000, 90_000],
  });
  const first = firstResponses(chats, lines).toRecords()[0];
  assert.deepEqual([first?.fromRequestSeconds, first?.fromStartSeconds], [60, 15]);
});

Deno.test("transferPaths() follows chains of transfers and ignores a later unrelated visit", () => {
  const minute = 60_000;
  const chats = pl.DataFrame({
    engagementId: ["a1", "a2", "a3", "a4", "b1", "b2"],
    visitorId: ["A", "A", "A", "A", "B", "B"],
    startMs: [0, 6 * minute, 11 * minute, 300 * minute, 0, 100 * minute],
    endMs: [5 * minute, 10 * minute, 20 * minute, 310 * minute, 5 * minute, 105 * minute],
    transferredIn: [false, true, true, true, false, true],
    transferredOut: [true, true, false, false, true, false],
    skill: ["Billing", "Support", "Sales", "Billing", "Billing", "Support"],
  });
  const { paths, links, unmatched } = transferPaths(chats, { maxGapMinutes: 30 });
  assert.deepEqual(paths.toRecords(), [{ path: "Billing → Support → Sales", steps: 3, chats: 1 }]);
  assert.equal(links.height, 2);
  assert.equal(unmatched, 1, "b1 ended with a transfer, but b2 came 95 minutes later");
});

Deno.test("frequent phrases skip filler edges and links, count a line once, and keep any script", () => {
  const lines = pl.DataFrame({
    source: ["visitor", "visitor", "visitor", "agent", "agent"],
    text: [
      "my bill is wrong, my bill is wrong",
      "the bill is wrong https://example.com/bill-is-wrong",
      "חשבון שגוי מאוד",
      "let me check your account",
      "let me check your account please",
    ],
  });
  const phrases = phrasesBy(lines, "source", { top: 3 });
  const visitor = phrases.filter(pl.col("source").eq(pl.lit("visitor"))).toRecords();
  assert.deepEqual(visitor[0], {
    source: "visitor",
    phrase: "bill is wrong",
    words: 3,
    lines: 2,
    share: 66.7,
  });
  const agent = phrases.filter(pl.col("source").eq(pl.lit("agent"))).getColumn("phrase").toArray();
  assert.ok(agent.includes("let me check"), `agent phrases: ${agent}`);
  assert.ok(!agent.some((phrase) => /^(me|your) |\b(me|your)$/.test(String(phrase))), `${agent}`);
  assert.deepEqual(topPhrases(["חשבון שגוי מאוד", "חשבון שגוי"]), [{
    phrase: "חשבון שגוי",
    words: 2,
    lines: 2,
  }]);
});

Deno.test("notebookSettings() says which input was wrong and how to fix it", () => {
  const none = () => undefined;
  assert.throws(
    () => notebookSettings({ timeZone: "Europe/Berln", env: none }),
    /Unknown time zone "Europe\/Berln"/,
  );
  assert.throws(
    () => notebookSettings({ env: (name) => (name === "LP_TIME_ZONE" ? "CEST" : undefined) }),
    /\(from LP_TIME_ZONE\)/,
  );
  assert.throws(
    () => notebookSettings({ from: "2024-02-30", env: none }),
    /Invalid from day "2024-02-30"/,
  );
  assert.throws(
    () => notebookSettings({ from: "2024-03-02", to: "2024-03-01", env: none }),
    /after the last day/,
  );
  const settings = notebookSettings({
    timeZone: "America/New_York",
    from: "2024-03-01",
    to: "2024-03-01",
    env: none,
    root: "/repo",
  });
  assert.equal(settings.range.to! - settings.range.from!, DAY);
  assert.equal(
    describeSettings(settings, "/repo"),
    "Tables `data/tables` · time zone America/New_York · days 2024-03-01 to 2024-03-01",
  );
});
