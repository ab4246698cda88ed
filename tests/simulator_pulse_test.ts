/**
 * The simulator's pulse: traffic that follows a contact centre's week, and
 * Engagement History chats with the structure analyses look for (busy agents,
 * bots, queue waits, abandonment per skill, transfers, surveys, phrases).
 */

import assert from "node:assert/strict";
import {
  type DatasetOptions,
  generateEngagements,
  indexRange,
  startTimeAt,
} from "../lib/sources/engagement_history/simulator/dataset.ts";

type Json = Record<string, unknown>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MINUTE = 60_000;

/** A month (January 2024 started on a Monday) of 6 000 chats. */
const MONTH: DatasetOptions = Object.freeze({
  count: 6_000,
  from: Date.UTC(2024, 0, 1),
  to: Date.UTC(2024, 1, 1),
  seed: 11,
});

const RECORDS: readonly Json[] = generateEngagements(MONTH);

function info(record: Json): Json {
  return record.info as Json;
}

function lines(record: Json): Json[] {
  return ((record.transcript as Json | undefined)?.lines as Json[] | undefined) ?? [];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

/** Records per hour of the day over the month, counted without building one. */
function perHour(options: DatasetOptions, days: (day: number) => boolean): number[] {
  const counts = new Array<number>(24).fill(0);
  for (let day = 0; day < 31; day++) {
    if (!days(day)) continue;
    for (let hour = 0; hour < 24; hour++) {
      const from = options.from + day * DAY + hour * HOUR;
      const { start, end } = indexRange(options, from, from + HOUR);
      counts[hour] = counts[hour]! + end - start;
    }
  }
  return counts;
}

const weekday = (day: number) => day % 7 < 5;
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

Deno.test("a month holds far more chats in weekday office hours than at night or at weekends", () => {
  const weekdays = perHour(MONTH, weekday);
  const weekends = perHour(MONTH, (day) => !weekday(day));
  const office = sum(weekdays.slice(9, 17)) / 8;
  const night = sum(weekdays.slice(0, 5)) / 5;
  assert.ok(office > 8 * night, `${office} per office hour, ${night} per night hour`);
  // 23 weekdays and 8 weekend days in January 2024.
  assert.ok(sum(weekdays) / 23 > 1.8 * (sum(weekends) / 8), "weekend days are quieter");
  assert.equal(sum(weekdays) + sum(weekends), MONTH.count);
  // Mornings build up: each hour from 6 to 10 is busier than the one before.
  for (let hour = 6; hour <= 10; hour++) assert.ok(weekdays[hour]! > weekdays[hour - 1]!);
});

Deno.test("days differ: the same weekday holds a different number of chats from week to week", () => {
  const mondays = [0, 7, 14, 21, 28].map((day) => {
    const { start, end } = indexRange(MONTH, MONTH.from + day * DAY, MONTH.from + (day + 1) * DAY);
    return end - start;
  });
  assert.ok(new Set(mondays).size === mondays.length, mondays.join(" "));
  assert.ok(Math.max(...mondays) > 1.1 * Math.min(...mondays), mondays.join(" "));
});

Deno.test("the busy hours follow the account's time zone", () => {
  const tokyo = { ...MONTH, timeZone: "Asia/Tokyo" };
  const utc = perHour(MONTH, weekday);
  const local = perHour(tokyo, weekday);
  // 10:00 in Tokyo is 01:00 UTC, and 01:00 in Tokyo is 16:00 UTC.
  assert.ok(local[1]! > 8 * utc[1]!, `${local[1]} vs ${utc[1]}`);
  assert.ok(local[16]! < utc[16]! / 4, `${local[16]} vs ${utc[16]}`);
  assert.throws(() => startTimeAt({ ...MONTH, timeZone: "Mars/Base" }, 0), /timeZone/);
});

Deno.test("start times strictly increase where a busy hour squeezes the slots", () => {
  // 06:30 to 07:40 on a Monday: 1.5 million records, slots of 2 to 3 ms.
  const from = Date.UTC(2024, 0, 1, 6, 30);
  const dense = { count: 1_500_000, from, to: from + 70 * MINUTE };
  let previous = -Infinity;
  for (let index = 0; index < dense.count; index++) {
    const start = startTimeAt(dense, index);
    if (!(start > previous && start < dense.to)) assert.fail(`record ${index} at ${start}`);
    previous = start;
  }
  const { start, end } = indexRange(dense, from + 35 * MINUTE, dense.to);
  const { start: early, end: earlyEnd } = indexRange(dense, from, from + 30 * MINUTE);
  assert.ok((end - start) / 35 > 1.5 * ((earlyEnd - early) / 30), "07:00 is busier than 06:30");
});

Deno.test("a few busy agents take most chats; two bots take some, known by group and login", () => {
  const humans = new Map<string, number>();
  for (const record of RECORDS) {
    const { agentLoginName, agentGroupId, agentGroupName, agentFullName } = info(record);
    const bot = String(agentLoginName).endsWith(".bot");
    assert.equal(agentGroupId === 1900, bot, `${agentLoginName} in group ${agentGroupId}`);
    if (agentGroupName !== undefined) assert.equal(agentGroupName === "Bots", bot);
    if (bot) assert.match(String(agentFullName), /Bot/);
    if (!bot && agentLoginName !== "undefined") {
      humans.set(String(agentLoginName), (humans.get(String(agentLoginName)) ?? 0) + 1);
    }
  }
  const bots = RECORDS.filter((record) => String(info(record).agentLoginName).endsWith(".bot"));
  assert.ok(bots.length > 0.05 * RECORDS.length && bots.length < 0.25 * RECORDS.length);
  assert.ok(bots.some((record) => String(info(record).agentFullName).trim() === "Helper Bot"));
  const counts = [...humans.values()].sort((a, b) => b - a);
  assert.ok(counts.length >= 6, "every human agent works");
  assert.ok(counts[0]! + counts[1]! > 0.45 * sum(counts), counts.join(" "));
  assert.ok(counts.at(-1)! > 0.02 * sum(counts), counts.join(" "));
});

Deno.test("bots take a bigger share of the night than of the day", () => {
  const share = (test: (hour: number) => boolean) => {
    const chats = RECORDS.filter((record) =>
      info(record).startReason !== "1" && info(record).startReason !== 1 &&
      test(new Date(info(record).startTimeL as number).getUTCHours())
    );
    return chats.filter((r) => String(info(r).agentLoginName).endsWith(".bot")).length /
      chats.length;
  };
  const night = share((hour) => hour < 6 || hour >= 22);
  const day = share((hour) => hour >= 9 && hour < 17);
  assert.ok(night > 1.5 * day, `${night} at night, ${day} by day`);
});

Deno.test("9 to 14 % of each skill's chats are abandoned, and abandoned chats have no exchange", () => {
  const rates = new Map<string, number>();
  for (const skill of ["Billing", "Technical support", "מכירות", "サポート"]) {
    const chats = RECORDS.filter((record) => info(record).skillName === skill);
    assert.ok(chats.length > 400, skill);
    rates.set(
      skill,
      chats.filter((record) => info(record).isInteractive === false).length / chats.length,
    );
  }
  for (const [skill, rate] of rates) assert.ok(rate >= 0.075 && rate <= 0.16, `${skill}: ${rate}`);
  assert.ok(Math.max(...rates.values()) - Math.min(...rates.values()) > 0.02, "skills differ");
  for (const record of RECORDS) {
    const sources = new Set(lines(record).map((line) => line.source));
    const exchanged = sources.has("agent") && sources.has("visitor");
    if (info(record).isInteractive === false) {
      assert.ok(!exchanged, String(info(record).engagementId));
    }
    if (info(record).skillId === -1) assert.equal(info(record).isInteractive, false);
  }
});

Deno.test("queue waits are short for most and long for a few, longer in busy hours", () => {
  const waits = RECORDS.filter((record) =>
    Number(info(record).chatRequestedTimeL) > 0 && String(info(record).startReason) !== "1" &&
    !String(info(record).agentLoginName).endsWith(".bot")
  ).map((record) => ({
    wait: Number(info(record).startTimeL) - Number(info(record).chatRequestedTimeL),
    hour: new Date(info(record).startTimeL as number).getUTCHours(),
  }));
  const all = waits.map((item) => item.wait);
  assert.ok(all.every((wait) => wait > 0));
  assert.ok(median(all) > 10_000 && median(all) < 90_000, `median ${median(all)}`);
  assert.ok(quantile(all, 0.99) > 5 * MINUTE, `p99 ${quantile(all, 0.99)}`);
  const busy = waits.filter((item) => item.hour >= 9 && item.hour < 17).map((item) => item.wait);
  const quiet = waits.filter((item) => item.hour < 6).map((item) => item.wait);
  assert.ok(median(busy) > 1.5 * median(quiet), `${median(busy)} vs ${median(quiet)}`);
});

Deno.test("the first agent line comes after the start, seconds to minutes after the request", () => {
  const responses: number[] = [];
  for (const record of RECORDS) {
    const first = lines(record).find((line) => line.source === "agent");
    if (!first) continue;
    assert.ok(Number(first.timeL) > Number(info(record).startTimeL));
    const requested = Number(info(record).chatRequestedTimeL);
    if (requested > 0) responses.push(Number(first.timeL) - requested);
  }
  assert.ok(responses.length > 0.5 * RECORDS.length);
  assert.ok(median(responses) > 15_000 && median(responses) < 3 * MINUTE, `${median(responses)}`);
});

Deno.test("every transfer path agrees with the agent and skill changes of its engagements", () => {
  const transferred = (record: Json) => ["101", "106"].includes(String(info(record).endReason));
  const continues = (record: Json) => String(info(record).startReason) === "1";
  let paths = 0;
  let longest = 0;
  for (let index = 0; index < RECORDS.length; index++) {
    const record = RECORDS[index]!;
    const here = info(record);
    if (continues(record)) {
      const before = RECORDS[index - 1]!;
      assert.ok(transferred(before), `${here.engagementId} continues a transfer`);
    } else {
      assert.equal(here.engagementSequence, 0);
    }
    if (!transferred(record)) continue;
    const next = info(RECORDS[index + 1]!);
    assert.ok(continues(RECORDS[index + 1]!), `${here.engagementId} is followed by its transfer`);
    assert.equal(next.visitorId, here.visitorId);
    assert.equal(next.visitorName, here.visitorName);
    assert.equal(next.sharkEngagementId, here.sharkEngagementId);
    assert.equal(next.engagementSequence, Number(here.engagementSequence) + 1);
    if (Number(next.chatRequestedTimeL) > 0) assert.equal(next.chatRequestedTimeL, here.endTimeL);
    assert.ok(Number(next.startTimeL) > Number(here.endTimeL), "the visitor waits in between");
    if (here.endReason === "101") {
      assert.equal(next.skillId, here.skillId, "to another agent of the skill");
      assert.notEqual(next.agentLoginName, here.agentLoginName);
    } else {
      assert.notEqual(next.skillId, here.skillId, "to another skill");
    }
    if (here.engagementSequence === 0) paths++;
    longest = Math.max(longest, Number(next.engagementSequence) + 1);
  }
  const share = RECORDS.filter(transferred).length / RECORDS.length;
  assert.ok(share > 0.03 && share < 0.15, `${share} of chats transferred`);
  assert.ok(paths > 100 && longest === 3, `${paths} paths, the longest ${longest}`);
  const fromBots = RECORDS.filter((record, index) =>
    transferred(record) && String(info(record).agentLoginName).endsWith(".bot") &&
    !String(info(RECORDS[index + 1]!).agentLoginName).endsWith(".bot")
  );
  assert.ok(fromBots.length > 50, "bots hand over to humans");
});

function answers(record: Json, survey: string, question: string): Json[] {
  const rows = ((record.surveys as Json | undefined)?.[survey] as Json[] | undefined) ?? [];
  return rows.filter((row) => row.displayName === question);
}

Deno.test("post-chat surveys ask for CSAT on an ordered scale and whether the issue was resolved", () => {
  const scale = new Map<string, number>();
  const byResolution = { Yes: [] as number[], No: [] as number[] };
  let agreeing = 0;
  let compared = 0;
  for (const record of RECORDS) {
    const csat = answers(record, "postChat", "How satisfied were you with the chat?")[0];
    const resolved = answers(record, "postChat", "Was the issue resolved?")[0];
    if (csat || resolved) {
      assert.ok(
        !["101", "106", "-1"].includes(String(info(record).endReason)),
        "asked after the end",
      );
    }
    const score = (csat?.answersId as number[] | undefined)?.[0];
    if (csat && score !== undefined && score > 0) {
      const known = scale.get(String(csat.value));
      assert.ok(known === undefined || known === score, "one id per label");
      scale.set(String(csat.value), score);
      if (resolved) byResolution[resolved.value as "Yes" | "No"].push(score);
    }
    const byAgent = answers(record, "operator", "Was the issue resolved?")[0];
    if (resolved && byAgent) {
      compared++;
      if ((resolved.value === "Yes") === (byAgent.value === "Resolved")) agreeing++;
    }
  }
  assert.deepEqual([...scale].sort((a, b) => a[1] - b[1]).map(([label]) => label), [
    "Very dissatisfied",
    "Dissatisfied",
    "Neither satisfied nor dissatisfied",
    "Satisfied",
    "Very satisfied",
  ]);
  const mean = (values: number[]) => sum(values) / values.length;
  assert.ok(byResolution.Yes.length > 300 && byResolution.No.length > 100);
  assert.ok(mean(byResolution.Yes) > mean(byResolution.No) + 1, "solved chats score higher");
  assert.ok(compared > 50 && agreeing > 0.9 * compared, `${agreeing} of ${compared} agree`);
});

Deno.test("agents differ in resolution rate and CSAT, with enough answers behind each", () => {
  const perAgent = new Map<string, { resolved: number; answers: number }>();
  for (const record of RECORDS) {
    const answer = answers(record, "postChat", "Was the issue resolved?")[0];
    const agent = String(info(record).agentLoginName);
    if (!answer || agent === "undefined") continue;
    const tally = perAgent.get(agent) ?? { resolved: 0, answers: 0 };
    tally.answers++;
    if (answer.value === "Yes") tally.resolved++;
    perAgent.set(agent, tally);
  }
  const rates = [...perAgent].filter(([, tally]) => tally.answers >= 30)
    .map(([agent, tally]) => [agent, tally.resolved / tally.answers] as const);
  assert.ok(rates.length >= 6, rates.map(([agent]) => agent).join(" "));
  const values = rates.map(([, rate]) => rate);
  assert.ok(Math.max(...values) - Math.min(...values) > 0.15, JSON.stringify(rates));
  const bot = rates.find(([agent]) => agent === "helper.bot");
  assert.ok(bot && bot[1] < Math.max(...values), "the bot solves less than the best agent");
});

Deno.test("transcripts talk about the skill's topics in recurring phrases", () => {
  const mentions = (skill: string, pattern: RegExp) => {
    const chats = RECORDS.filter((record) =>
      info(record).skillName === skill && lines(record).length > 3
    );
    return chats.filter((record) => lines(record).some((line) => pattern.test(String(line.text))))
      .length / chats.length;
  };
  const billing = /invoice|refund|charged|cancel/i;
  assert.ok(mentions("Billing", billing) > 3 * mentions("Technical support", billing));
  const technical = /app|router|error|restart|password|log in/i;
  assert.ok(mentions("Technical support", technical) > 3 * mentions("Billing", technical));
  const trigrams = new Map<string, number>();
  for (const record of RECORDS) {
    for (const line of lines(record)) {
      if (line.source !== "visitor") continue;
      const words = String(line.text).toLowerCase().split(/[^a-z']+/).filter(Boolean);
      for (let at = 0; at + 3 <= words.length; at++) {
        const gram = words.slice(at, at + 3).join(" ");
        trigrams.set(gram, (trigrams.get(gram) ?? 0) + 1);
      }
    }
  }
  const top = [...trigrams.values()].sort((a, b) => b - a);
  assert.ok(trigrams.size > 200, `${trigrams.size} distinct visitor trigrams`);
  assert.ok(top.slice(0, 10).every((n) => n > 50), "the commonest phrases recur");
});
