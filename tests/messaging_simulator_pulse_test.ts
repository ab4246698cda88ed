/**
 * The Messaging Interactions simulator's pulse: busy agents and bots by the
 * hour, queue waits with a long tail, transfers that agree with the skill
 * changes, CSAT that follows the outcome, and messages about the skill's topic.
 */

import assert from "node:assert/strict";
import { conversationAt } from "../lib/sources/messaging/simulator/dataset.ts";
import type { DatasetOptions } from "../lib/simulator/dataset_options.ts";
import { type Json, list } from "./helpers/messaging.ts";

const MINUTE = 60_000;

const MONTH: DatasetOptions = Object.freeze({
  count: 3_000,
  from: Date.UTC(2024, 0, 1),
  to: Date.UTC(2024, 1, 1),
  seed: 5,
});

const RECORDS: readonly Json[] = Array.from(
  { length: MONTH.count },
  (_, index) => conversationAt(MONTH, index),
);

function info(record: Json): Json {
  return record.info as Json;
}

function hourOf(record: Json): number {
  return new Date(info(record).startTimeL as number).getUTCHours();
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Assignments in order, from `interactions` and the assigned participants. */
function firstAssigned(record: Json): Json | undefined {
  const first = list(record.interactions)[0];
  if (!first) return undefined;
  return list(record.agentParticipants).find((participant) =>
    participant.agentId === first.assignedAgentId && participant.role === "ASSIGNED_AGENT"
  );
}

Deno.test("bots take the first turn more often at night; two busy humans take most of the rest", () => {
  const botFirst = (test: (hour: number) => boolean) => {
    const handled = RECORDS.filter((record) => test(hourOf(record)) && firstAssigned(record));
    return handled.filter((record) => firstAssigned(record)!.userType === "2").length /
      handled.length;
  };
  const night = botFirst((hour) => hour < 6);
  const day = botFirst((hour) => hour >= 9 && hour < 17);
  assert.ok(night > day + 0.1, `${night} at night, ${day} by day`);
  const humans = new Map<string, number>();
  for (const record of RECORDS) {
    for (const participant of list(record.agentParticipants)) {
      if (participant.userType !== "1" || participant.role !== "ASSIGNED_AGENT") continue;
      const login = String(participant.agentLoginName);
      humans.set(login, (humans.get(login) ?? 0) + 1);
    }
  }
  const counts = [...humans.values()].sort((a, b) => b - a);
  const total = counts.reduce((a, b) => a + b, 0);
  assert.ok(counts.length >= 6 && counts[0]! + counts[1]! > 0.45 * total, counts.join(" "));
});

Deno.test("a human answers after a queue wait that grows in busy hours and has a long tail", () => {
  const waits = RECORDS.filter((record) => firstAssigned(record)?.userType === "1").map((
    record,
  ) => ({
    wait: Number(list(record.interactions)[0]!.interactionTimeL) - Number(info(record).startTimeL),
    hour: hourOf(record),
  }));
  const all = waits.map((item) => item.wait);
  assert.ok(all.every((wait) => wait > 0));
  assert.ok(median(all) > 20_000 && median(all) < 3 * MINUTE, `median ${median(all)}`);
  const sorted = [...all].sort((a, b) => a - b);
  assert.ok(sorted[Math.floor(0.99 * sorted.length)]! > 5 * MINUTE, "a long tail");
  const busy = waits.filter((item) => item.hour >= 9 && item.hour < 17).map((item) => item.wait);
  const quiet = waits.filter((item) => item.hour < 6).map((item) => item.wait);
  assert.ok(median(busy) > 1.5 * median(quiet), `${median(busy)} vs ${median(quiet)}`);
  const bots = RECORDS.filter((record) => firstAssigned(record)?.userType === "2").map((record) =>
    Number(list(record.interactions)[0]!.interactionTimeL) - Number(info(record).startTimeL)
  );
  assert.ok(median(bots) < median(all) / 2, "bots answer at once");
});

Deno.test("every transfer agrees with the interactions and the skill changes", () => {
  let checked = 0;
  for (const record of RECORDS) {
    const interactions = list(record.interactions);
    const changes = list(record.skillChanges);
    list(record.transfers).forEach((transfer, position) => {
      const source = interactions[position];
      const target = interactions[position + 1];
      if (!source || !target) return;
      checked++;
      assert.equal(transfer.sourceAgentId, source.assignedAgentId);
      assert.ok(Number(target.interactionTimeL) > Number(transfer.timeL));
      if (transfer.reason === "Agent") {
        assert.equal(transfer.assignedAgentId, target.assignedAgentId);
      }
      if (transfer.sourceSkillId !== transfer.targetSkillId && "skillChanges" in record) {
        assert.ok(changes.some((change) =>
          change.sourceSkillId === transfer.sourceSkillId &&
          change.targetSkillId === transfer.targetSkillId && change.timeL === transfer.timeL
        ));
      }
    });
  }
  assert.ok(checked > 300, `${checked} transfers checked`);
});

Deno.test("CSAT and NPS follow whether the consumer says the issue was solved", () => {
  const csat = { yes: [] as number[], no: [] as number[] };
  const nps = { yes: [] as number[], no: [] as number[] };
  for (const record of RECORDS) {
    for (const survey of list(record.conversationSurveys)) {
      const data = list(survey.surveyData).filter((row) => row.isValidAnswer === true);
      const solved = data.find((row) => row.questionType === "fcr")?.answer;
      const score = data.find((row) => row.questionType === "csat")?.answer;
      const recommend = data.find((row) => row.questionType === "nps")?.answer;
      if (solved !== "yes" && solved !== "no") continue;
      if (score !== undefined) csat[solved].push(Number(score));
      if (recommend !== undefined) nps[solved].push(Number(recommend));
    }
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  assert.ok(csat.yes.length > 100 && csat.no.length > 50, `${csat.yes.length}/${csat.no.length}`);
  assert.ok(mean(csat.yes) > mean(csat.no) + 1, `${mean(csat.yes)} vs ${mean(csat.no)}`);
  assert.ok(mean(nps.yes) > mean(nps.no) + 2, `${mean(nps.yes)} vs ${mean(nps.no)}`);
});

Deno.test("consumers write about their skill's topic", () => {
  const share = (skill: string, pattern: RegExp) => {
    const chats = RECORDS.filter((record) => info(record).latestSkillName === skill);
    return chats.filter((record) =>
      list(record.messageRecords).some((message) =>
        message.sentBy === "Consumer" &&
        pattern.test(String(((message.messageData as Json).msg as Json | undefined)?.text))
      )
    ).length / chats.length;
  };
  const billing = /invoice|refund|charged|bill|cancel/i;
  assert.ok(share("Billing", billing) > 0.3, `${share("Billing", billing)}`);
  assert.ok(share("Billing", billing) > 3 * share("Technical support", billing));
});
