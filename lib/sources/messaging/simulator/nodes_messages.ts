/**
 * `messageRecords`: the messages of the main dialog (at the plan's times, by
 * the routing's senders) and of the post-conversation survey dialog. Text
 * messages follow the conversation's topic (by its skill) and outcome, in
 * the phrases every simulated source shares (common/simulator/talk.ts).
 *
 * `messageData` holds one wrapper per content kind. `msg`, `richContent` and
 * `quickReplies` are documented; the wrappers of the other kinds are not, and
 * the simulator names them after their content:
 * - `file` for `HOSTED_FILE` and `IMG`: `{relativePath, fileType, caption,
 *   preview}`; `preview` (base64) is only in answers by conversation id;
 * - `link` for `LINK`: `{externalFileLink, fileType, caption}`;
 * - `secureForm` for `SECURE_FORM_INVITATION` and `SECURE_FORM_SUBMIT`:
 *   `{formId, formName, invitationId}`, plus `submissionId` on a submit.
 *
 * @module
 */

import type { Random } from "../../../simulator/random.ts";
import { maybeAwkward } from "../../../simulator/values.ts";
import { startTalk, type Talk, TOPICS } from "../../common/simulator/talk.ts";
import { type ConversationContext, timePair } from "./context.ts";
import { contextDataNode } from "./context_data.ts";
import type { Routing } from "./nodes_routing.ts";
import { type Agent, SURVEY_BOT } from "./roster.ts";

type Json = Record<string, unknown>;

/** What the other message nodes need to know about a message. */
export interface SentMessage {
  readonly messageId: string;
  readonly seq: number | string;
  readonly time: number;
  readonly dialogId: string;
  /** The sender, or undefined for the consumer. */
  readonly sender?: Agent;
  /** The agent who had the conversation when it was sent (reads the consumer's messages). */
  readonly handler?: Agent;
  /** Plain text the consumer wrote (intents are read from these). */
  readonly consumerText: boolean;
  /** When its dialog closed; -1 when it never does. */
  readonly dialogEnd: number;
}

/** What conversations in each skill are about (topics of the shared phrases). */
const SKILL_TOPICS: Readonly<Record<number, readonly string[]>> = {
  3_592_991_110: ["billing", "billing", "cancellation"],
  3_592_991_210: ["technical", "technical", "account"],
  3_592_991_310: ["plans"],
  3_592_991_410: ["delivery", "account"],
  3_592_991_510: ["technical", "delivery"],
  3_592_991_010: ["delivery"],
};

/** The talk of a conversation: about its skill's topic, solved or not, a bot handing over or not. */
function talkOf(random: Random, routing: Pick<Routing, "assignments" | "resolved">): Talk {
  const skill = routing.assignments.at(-1)?.skill.id;
  const topics = (skill === undefined ? undefined : SKILL_TOPICS[skill]) ?? TOPICS;
  const handoff = routing.assignments.some((assignment) => assignment.agent.userType === "1");
  return startTalk(random, random.pick(topics), { resolved: routing.resolved, handoff });
}

const SURVEY_QUESTIONS = [
  "How would you rate your experience today? (1-5)",
  "How likely are you to recommend us? (0-10)",
  "Was your issue resolved?",
] as const;

function quickReplies(random: Random): string {
  const titles = random.pick([["Yes", "No"], ["Billing", "Orders", "Other"], ["👍", "👎"]]);
  return JSON.stringify({
    type: "quickReplies",
    itemsPerRow: titles.length,
    replies: titles.map((title) => ({
      type: "button",
      title,
      click: { actions: [{ type: "publishText", text: title }] },
    })),
  });
}

function richContent(random: Random): string {
  return JSON.stringify({
    type: "vertical",
    elements: [
      { type: "text", text: maybeAwkward(random, "Pick a plan", { rate: 0.3 }) },
      {
        type: "image",
        url: `https://cdn.example.com/plans/${random.int(1, 9)}.png`,
        tooltip: "plan picture",
      },
      {
        type: "button",
        title: random.pick(["Basic", "Pro | yearly", "プレミアム"]),
        click: {
          actions: [{ type: "link", uri: `https://example.com/plans/${random.int(1, 9)}` }],
        },
      },
    ],
  });
}

/** A few bytes of base64, standing in for a thumbnail. */
function preview(random: Random): string {
  return `data:image/png;base64,iVBORw0KGgo${random.int(100000, 999999)}AAAASUVORK5CYII=`;
}

/** Draws a message's `type` and `messageData` for its sender. */
function content(
  random: Random,
  sender: Agent | undefined,
  state: { readonly accountId: string; readonly talk: Talk; invitationId?: string },
): { type: string; messageData: Json } {
  const roll = random.next();
  if (!sender) {
    if (state.invitationId && roll < 0.5) {
      const invitationId = state.invitationId;
      delete state.invitationId;
      return {
        type: "SECURE_FORM_SUBMIT",
        messageData: {
          secureForm: {
            formId: "4718120",
            formName: "Card details",
            submissionId: `sub-${random.int(10000, 99999)}`,
            invitationId,
          },
        },
      };
    }
    if (roll < 0.06) {
      const image = random.chance(0.7);
      return {
        type: image ? "IMG" : "HOSTED_FILE",
        messageData: {
          file: {
            relativePath: `/v1/AUTH_async-images/${state.accountId}/${random.int(100000, 999999)}.${
              image ? "jpg" : "pdf"
            }`,
            fileType: image ? random.pick(["JPG", "PNG", "GIF"]) : random.pick(["PDF", "TXT"]),
            caption: maybeAwkward(random, random.pick(["receipt", "screenshot", ""]), {
              rate: 0.2,
            }),
            preview: preview(random),
          },
        },
      };
    }
    return {
      type: "TEXT_PLAIN",
      messageData: { msg: { text: maybeAwkward(random, state.talk.visitor(), { rate: 0.08 }) } },
    };
  }
  if (sender.userType === "2") {
    if (roll < 0.3) return { type: "RICH_CONTENT", messageData: richOrWithReplies(random) };
    const messageData: Json = { msg: { text: state.talk.bot() } };
    if (roll < 0.6) messageData.quickReplies = { content: quickReplies(random) };
    return { type: "TEXT_PLAIN", messageData };
  }
  if (roll < 0.05) {
    return {
      type: "TEXT_HTML",
      messageData: {
        msg: { text: `<p>See <b>your plan</b> &amp; options, ${sender.nickname}</p>` },
      },
    };
  }
  if (roll < 0.1) {
    return {
      type: "LINK",
      messageData: {
        link: {
          externalFileLink: `https://files.example.com/guides/${random.int(1, 99)}.pdf?lang=en&v=2`,
          fileType: "PDF",
          caption: maybeAwkward(random, "Setup guide", { rate: 0.3 }),
        },
      },
    };
  }
  if (roll < 0.13 && !state.invitationId) {
    state.invitationId = `inv-${random.int(10000, 99999)}`;
    return {
      type: "SECURE_FORM_INVITATION",
      messageData: {
        secureForm: {
          formId: "4718120",
          formName: "Card details",
          invitationId: state.invitationId,
        },
      },
    };
  }
  if (roll < 0.18) return { type: "RICH_CONTENT", messageData: richOrWithReplies(random) };
  return {
    type: "TEXT_PLAIN",
    messageData: { msg: { text: maybeAwkward(random, state.talk.agent(), { rate: 0.06 }) } },
  };
}

function richOrWithReplies(random: Random): Json {
  const messageData: Json = { richContent: { content: richContent(random) } };
  if (random.chance(0.3)) messageData.quickReplies = { content: quickReplies(random) };
  return messageData;
}

/**
 * Builds `messageRecords` for the main dialog and the survey dialog.
 *
 * @param context the conversation being built
 * @param routing its routing (each main-dialog message's sender)
 * @param source the conversation's `info.source`, which messages repeat (deprecated there)
 * @returns the node and what other nodes need to know about each message
 *
 * @example
 * ```ts
 * import { conversationContext } from "./dataset.ts";
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import { routeConversation } from "./nodes_routing.ts";
 * import { messageRecordsNode } from "./nodes_messages.ts";
 * import assert from "node:assert/strict";
 * const context = conversationContext(resolveDataset({ count: 9, from: 0, to: 86_400_000 }), 4);
 * const { sent } = messageRecordsNode(context, routeConversation(context), "APP");
 * assert.ok(sent.length >= context.plan.messageTimes.length);
 * ```
 */
export function messageRecordsNode(
  context: ConversationContext,
  routing: Pick<Routing, "assignments" | "senders" | "resolved">,
  source: string,
): { messageRecords: Json[]; sent: SentMessage[] } {
  const { random, plan, conversationId, surveyDialogId } = context;
  const byDialog = random.chance(0.3);
  const seqAsText = random.chance(0.05);
  // The documented SDE example writes "undefined" for every message's dialogId.
  const dialogUnknown = random.chance(0.04);
  const device = random.chance(0.7) ? "undefined" : random.pick(["MOBILE", "DESKTOP"]);
  const formSent: { readonly accountId: string; readonly talk: Talk; invitationId?: string } = {
    accountId: context.dataset.accountId,
    talk: talkOf(random, routing),
  };
  const messageRecords: Json[] = [];
  const sent: SentMessage[] = [];
  let seq = 0;
  const push = (
    time: number,
    sender: Agent | undefined,
    dialog: { id: string; end: number; survey: boolean },
    handler: Agent | undefined,
  ) => {
    const { type, messageData } = dialog.survey
      ? {
        type: "TEXT_PLAIN",
        messageData: {
          msg: {
            text: sender ? random.pick(SURVEY_QUESTIONS) : random.pick(["5", "4", "10", "yes"]),
          },
        },
      }
      : content(random, sender, formSent);
    const messageId = byDialog || dialog.survey
      ? `ms::dialog:${dialog.id}::msg:${seq}`
      : `ms::conv:${conversationId}::msg:${seq}`;
    const seqValue = seqAsText ? String(seq) : seq;
    const record: Json = {
      type,
      messageData,
      messageId,
      seq: seqValue,
      dialogId: dialogUnknown ? "undefined" : dialog.id,
      participantId: sender ? String(sender.id) : context.consumer.participantId,
      source,
      ...timePair(context.format, "time", time),
      device,
      audience: sender && sender.userType === "1" && random.chance(0.04)
        ? "AGENTS_AND_MANAGERS"
        : "ALL",
      sentBy: sender ? "Agent" : "Consumer",
    };
    if (sender?.userType === "2" && random.chance(0.6)) {
      record.contextData = contextDataNode(random, `ext-${context.index}`);
    }
    messageRecords.push(record);
    sent.push({
      messageId,
      seq: seqValue,
      time,
      dialogId: dialog.id,
      ...(sender ? { sender } : {}),
      ...(handler ? { handler } : {}),
      consumerText: !sender && !dialog.survey && type === "TEXT_PLAIN",
      dialogEnd: dialog.end,
    });
    // Sequence numbers need not be continuous.
    seq += random.chance(0.1) ? random.int(2, 4) : 1;
  };
  const main = { id: conversationId, end: plan.conversationEnd, survey: false };
  plan.messageTimes.forEach((time, k) => {
    const handler = routing.assignments.findLast((assignment) => assignment.fromMessage <= k);
    push(time, routing.senders[k], main, handler?.agent);
  });
  if (plan.survey) {
    const survey = { id: surveyDialogId, end: plan.survey.end, survey: true };
    const count = random.int(2, 5);
    const step = Math.floor((plan.survey.end - plan.survey.start) / (count + 1));
    for (let i = 1; i <= count; i++) {
      push(plan.survey.start + i * step, i % 2 === 1 ? SURVEY_BOT : undefined, survey, SURVEY_BOT);
    }
  }
  return { messageRecords, sent };
}
