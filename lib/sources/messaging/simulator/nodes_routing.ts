/**
 * Who handles a conversation and when: the routing story (bots, humans,
 * transfers, skill changes, managers looking in) and the nodes it yields:
 * `agentParticipants`, `transfers`, `interactions` and `skillChanges`.
 *
 * `skillChanges` has no documented fields. The simulator writes one entry per
 * change of the conversation's skill, named like the skill fields of
 * `transfers`: `{time, timeL, dialogId, sourceSkillId, sourceSkillName,
 * targetSkillId, targetSkillName, reason, by}`, where `reason` is `Routing`
 * for the first routing out of "Unassigned" (`by` is then `"null"`) and the
 * transfer's reason otherwise (`by` the transferring agent's id).
 *
 * @module
 */

import { type ConversationContext, timePair } from "./context.ts";
import { contextDataNode } from "./context_data.ts";
import {
  type Agent,
  BOT_SKILLS,
  BOTS,
  HUMAN_SKILLS,
  HUMANS,
  MANAGERS,
  pickWorker,
  type Skill,
  SURVEY_BOT,
  UNASSIGNED_SKILL,
  USER_TYPE_NAMES,
} from "./roster.ts";

type Json = Record<string, unknown>;

/** An agent (or bot) taking the conversation. */
export interface Assignment {
  readonly agent: Agent;
  readonly skill: Skill;
  /** When the agent was assigned (`interactionTimeL`). */
  readonly time: number;
  /** The first main-dialog message the agent may send. */
  readonly fromMessage: number;
}

/** A change of the conversation's skill. */
export interface SkillChange {
  readonly time: number;
  readonly from: Skill;
  readonly to: Skill;
  readonly reason: string;
  readonly by?: Agent;
}

/** The routing of one conversation and the nodes it yields. */
export interface Routing {
  readonly assignments: readonly Assignment[];
  readonly skillChanges: readonly SkillChange[];
  /** The sender of each main-dialog message: an agent, or undefined for the consumer. */
  readonly senders: readonly (Agent | undefined)[];
  readonly agentParticipants: Json[];
  readonly transfers: Json[];
  readonly interactions: Json[];
  readonly skillChangesNode: Json[];
  /** The last handler solved the consumer's problem. */
  readonly resolved: boolean;
}

/** Reasons of a transfer between humans; a transfer to a named colleague is the commonest. */
const TRANSFER_REASONS = [
  "Agent",
  "Agent",
  "Skill",
  "back2Q",
  "TakeOver",
  "SuggestedAgentTimeout",
] as const;

/** The moments a slot (the gap before message `k`) offers for a transfer and an assignment. */
function slotTimes(context: ConversationContext, k: number): { transfer: number; assign: number } {
  const { plan } = context;
  const before = k === 0 ? plan.start : plan.messageTimes[k - 1]!;
  const after = plan.messageTimes[k] ?? before + 3_000;
  const width = after - before;
  return {
    transfer: before + Math.floor(width / 3),
    assign: before + Math.floor((2 * width) / 3),
  };
}

function otherThan<T>(context: ConversationContext, items: readonly T[], not: T): T {
  const rest = items.filter((item) => item !== not);
  return rest.length === 0 ? not : context.random.pick(rest);
}

/**
 * Draws who handles the conversation, as its plan says: a bot, a human, a bot
 * then a human, a human then another, or nobody (still in the queue); the
 * agents on shift at its hour, the busy ones more often.
 *
 * @param context the conversation being built
 * @returns assignments, skill changes and each message's sender
 */
function draw(context: ConversationContext):
  & Omit<
    Routing,
    "agentParticipants" | "transfers" | "interactions" | "skillChangesNode" | "resolved"
  >
  & { readonly transferReasons: readonly string[] } {
  const { random, plan } = context;
  const count = plan.messageTimes.length;
  const pattern = count === 0 ? "queue" : plan.handling;
  const firstSlot = count >= 2 ? 1 : 0;
  const twoAgents = (pattern === "botThenHuman" || pattern === "humanTransfer") &&
    count >= firstSlot + 2;
  const firstIsBot = pattern === "bot" || pattern === "botThenHuman";
  const firstSkill = pattern === "queue"
    ? (random.chance(0.3) ? UNASSIGNED_SKILL : random.pick(HUMAN_SKILLS))
    : random.pick(firstIsBot ? BOT_SKILLS : HUMAN_SKILLS);
  const skillChanges: SkillChange[] = [];
  if (firstSkill !== UNASSIGNED_SKILL) {
    skillChanges.push({
      time: plan.start + 200,
      from: UNASSIGNED_SKILL,
      to: firstSkill,
      reason: "Routing",
    });
  }
  const assignments: Assignment[] = [];
  const transferReasons: string[] = [];
  if (pattern !== "queue") {
    const first = pickWorker(random, firstIsBot ? BOTS : HUMANS, { hour: plan.hour });
    assignments.push({
      agent: first,
      skill: firstSkill,
      time: slotTimes(context, firstSlot).assign,
      fromMessage: firstSlot,
    });
    if (twoAgents) {
      const slot = random.int(firstSlot + 1, count - 1);
      const reason = pattern === "botThenHuman" ? "Skill" : random.pick(TRANSFER_REASONS);
      const skill = reason === "Skill" ? otherThan(context, HUMAN_SKILLS, firstSkill) : firstSkill;
      const agent = pickWorker(random, HUMANS, { hour: plan.hour, not: first });
      const { transfer, assign } = slotTimes(context, slot);
      if (skill !== firstSkill) {
        skillChanges.push({ time: transfer, from: firstSkill, to: skill, reason, by: first });
      }
      transferReasons.push(reason);
      assignments.push({ agent, skill, time: assign, fromMessage: slot });
    }
  }
  const senders: (Agent | undefined)[] = [];
  for (let k = 0; k < count; k++) {
    const current = assignments.findLast((assignment) => assignment.fromMessage <= k);
    const greets = current !== undefined && current.fromMessage === k;
    const agentTalks = current !== undefined && random.chance(greets ? 0.85 : 0.5);
    senders.push(agentTalks ? current.agent : undefined);
  }
  return { assignments, skillChanges, senders, transferReasons };
}

function participant(
  context: ConversationContext,
  agent: Agent,
  options: { time: number; role: string; permission: string; dialogId: string },
): Json {
  const node: Json = {
    agentFullName: agent.fullName,
    agentNickname: agent.nickname,
    agentLoginName: agent.loginName,
    agentId: String(agent.id),
    userType: agent.userType,
    userTypeName: USER_TYPE_NAMES[agent.userType],
    role: options.role,
    agentGroupName: agent.groupName,
    agentGroupId: agent.groupId,
    ...timePair(context.format, "time", options.time),
    permission: options.permission,
    dialogId: options.dialogId,
  };
  if (agent.userType === "2" && context.random.chance(0.4)) {
    node.contextData = contextDataNode(context.random, `ext-${context.index}`);
  }
  return node;
}

function agentNames(prefix: string, agent: Agent | undefined): Json {
  if (!agent) return {};
  return {
    [`${prefix}Id`]: String(agent.id),
    [`${prefix}FullName`]: agent.fullName,
    [`${prefix}LoginName`]: agent.loginName,
    [`${prefix}Nickname`]: agent.nickname,
  };
}

/**
 * Draws the routing of a conversation and builds its four nodes.
 *
 * @param context the conversation being built
 * @returns the routing, with `agentParticipants`, `transfers`, `interactions`
 *   and the `skillChanges` node
 *
 * @example
 * ```ts
 * import { conversationContext } from "./dataset.ts";
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import { routeConversation } from "./nodes_routing.ts";
 * import assert from "node:assert/strict";
 * const context = conversationContext(resolveDataset({ count: 9, from: 0, to: 86_400_000 }), 4);
 * const routing = routeConversation(context);
 * assert.equal(routing.senders.length, context.plan.messageTimes.length);
 * assert.equal(routing.interactions.length, routing.assignments.length);
 * ```
 */
export function routeConversation(context: ConversationContext): Routing {
  const { random, plan, conversationId } = context;
  const drawn = draw(context);
  const { assignments, skillChanges } = drawn;
  const interactions = assignments.map((assignment, position) => ({
    ...agentNames("assignedAgent", assignment.agent),
    ...timePair(context.format, "interactionTime", assignment.time),
    interactiveSequence: position + 1,
    dialogId: conversationId,
  }));
  const agentParticipants = assignments.map((assignment) =>
    participant(context, assignment.agent, {
      time: assignment.time + random.int(1, 9),
      role: "ASSIGNED_AGENT",
      permission: "ASSIGNED_AGENT",
      dialogId: conversationId,
    })
  );
  const humanAssigned = assignments.some((assignment) => assignment.agent.userType === "1");
  if (humanAssigned && plan.messageTimes.length >= 2 && random.chance(0.12)) {
    const slot = random.int(1, plan.messageTimes.length - 1);
    agentParticipants.push(participant(context, random.pick(MANAGERS), {
      time: slotTimes(context, slot).transfer + 1,
      role: "MANAGER",
      permission: "READER",
      dialogId: conversationId,
    }));
  }
  if (plan.survey) {
    agentParticipants.push(participant(context, SURVEY_BOT, {
      time: plan.survey.start + 1,
      role: "ASSIGNED_AGENT",
      permission: "ASSIGNED_AGENT",
      dialogId: context.surveyDialogId,
    }));
  }
  agentParticipants.sort((a, b) => Number(a.timeL) - Number(b.timeL));
  const transfers = drawn.transferReasons.map((reason, position) => {
    const source = assignments[position]!;
    const target = assignments[position + 1]!;
    const time = slotTimes(context, target.fromMessage).transfer;
    const node: Json = {
      ...timePair(context.format, "time", time),
      // Only a transfer to a named agent says who; otherwise the text "null", as documented.
      ...(reason === "Agent"
        ? agentNames("assignedAgent", target.agent)
        : { assignedAgentId: "null" }),
      targetSkillId: target.skill.id,
      targetSkillName: target.skill.name,
      reason,
      by: String(source.agent.id),
      sourceSkillId: source.skill.id,
      sourceSkillName: source.skill.name,
      ...agentNames("sourceAgent", source.agent),
      dialogId: conversationId,
    };
    if (source.agent.userType === "2" && random.chance(0.5)) {
      node.contextData = contextDataNode(random, `ext-${context.index}`);
    }
    return node;
  });
  const skillChangesNode = skillChanges.map((change) => ({
    ...timePair(context.format, "time", change.time),
    dialogId: conversationId,
    sourceSkillId: change.from.id,
    sourceSkillName: change.from.name,
    targetSkillId: change.to.id,
    targetSkillName: change.to.name,
    reason: change.reason,
    by: change.by ? String(change.by.id) : "null",
  }));
  const last = assignments.at(-1);
  const resolved = last !== undefined && !plan.stuckOpen && random.chance(last.agent.resolves);
  return { ...drawn, agentParticipants, transfers, interactions, skillChangesNode, resolved };
}

/**
 * Who has the conversation at `now`: the latest assigned agent and skill.
 *
 * @param routing the conversation's routing
 * @param now epoch ms
 * @returns the latest assignment and skill by `now`
 *
 * @example
 * ```ts
 * import { routingAsOf } from "./nodes_routing.ts";
 * import assert from "node:assert/strict";
 * const state = routingAsOf({ assignments: [], skillChanges: [] }, 0);
 * assert.equal(state.skill.id, -1);
 * ```
 */
export function routingAsOf(
  routing: Pick<Routing, "assignments" | "skillChanges">,
  now: number,
): { readonly assignment?: Assignment; readonly skill: Skill } {
  const assignment = routing.assignments.findLast((item) => item.time <= now);
  const change = routing.skillChanges.findLast((item) => item.time <= now);
  return { ...(assignment ? { assignment } : {}), skill: change?.to ?? UNASSIGNED_SKILL };
}
