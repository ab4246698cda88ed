/**
 * Surveys: the consumer's post-conversation survey (`conversationSurveys`
 * with `surveyData[]`) and the agent's wrap-up survey (`latestAgentSurvey`,
 * `previouslySubmittedAgentSurveys`).
 *
 * @module
 */

import type { Random } from "../../../simulator/random.ts";
import { maybeAwkward, pseudoUuid } from "../../../simulator/values.ts";
import type { ConversationContext } from "./context.ts";
import { AFTER_CLOSE_MS } from "./dataset_plan.ts";
import type { Assignment } from "./nodes_routing.ts";
import { MANAGERS } from "./roster.ts";

type Json = Record<string, unknown>;

interface SurveyQuestion {
  readonly id: string;
  readonly text: string;
  readonly type: "csat" | "nps" | "fcr" | "custom";
  readonly format: "single" | "open";
  /** Valid answers, favourable first; none for an open question. */
  readonly answers?: readonly string[];
}

const QUESTIONS: readonly SurveyQuestion[] = [
  {
    id: "1700001",
    text: "How satisfied were you with our service today?",
    type: "csat",
    format: "single",
    answers: ["5", "4", "3", "2", "1"],
  },
  {
    id: "1700002",
    text: "How likely are you to recommend us to a friend?",
    type: "nps",
    format: "single",
    answers: ["10", "9", "8", "7", "6", "5", "4", "3", "2", "1", "0"],
  },
  {
    id: "1700003",
    text: "Did we solve your issue?",
    type: "fcr",
    format: "single",
    answers: ["yes", "no"],
  },
  { id: "1700004", text: "Anything else you'd like to tell us?", type: "custom", format: "open" },
];

const FREE_TEXTS = ["Fast and friendly", "too slow", "n/a", ""] as const;

/** A choice, favourable ones likelier, as in real survey results. */
function favoured(random: Random, answers: readonly string[]): string {
  return answers[Math.floor(answers.length * random.next() ** 1.8)]!;
}

/** How the conversation went, which the consumer's answers follow. */
export interface SurveyOutcome {
  /** The consumer's problem was solved. */
  readonly resolved: boolean;
}

/** Answers that follow the outcome: CSAT 1–5 first, then the others from it. */
function measuredAnswers(random: Random, outcome: SurveyOutcome): Record<string, string> {
  const roll = random.next();
  const csat = outcome.resolved
    ? (roll < 0.55 ? 5 : roll < 0.85 ? 4 : roll < 0.95 ? 3 : roll < 0.98 ? 2 : 1)
    : (roll < 0.05 ? 5 : roll < 0.15 ? 4 : roll < 0.4 ? 3 : roll < 0.7 ? 2 : 1);
  const nps = Math.min(10, Math.max(0, 2 * csat - random.int(0, 2) + (csat === 5 ? 1 : 0)));
  // A few consumers judge the outcome differently from the agent.
  const solved = random.chance(0.92) ? outcome.resolved : !outcome.resolved;
  return { csat: String(csat), nps: String(nps), fcr: solved ? "yes" : "no" };
}

/**
 * Builds `conversationSurveys` for a submitted post-conversation survey, and
 * the CSAT it gives (`info.csatRate`). With an outcome, the CSAT, NPS and
 * "Did we solve your issue?" answers follow it (high when solved); without,
 * they lean to the favourable answers.
 *
 * @param context the conversation being built
 * @param outcome how the conversation went
 * @returns the node (empty without a submitted survey) and the CSAT, 1–5, if valid
 *
 * @example
 * ```ts
 * import { conversationContext } from "./dataset.ts";
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import { conversationSurveysNode } from "./nodes_surveys.ts";
 * import assert from "node:assert/strict";
 * const context = conversationContext(resolveDataset({ count: 9, from: 0, to: 86_400_000 }), 4);
 * const { surveys } = conversationSurveysNode(context);
 * assert.equal(surveys.length, context.plan.survey?.submitted ? 1 : 0);
 * ```
 */
export function conversationSurveysNode(
  context: ConversationContext,
  outcome?: SurveyOutcome,
): { surveys: Json[]; csat?: number } {
  const { random, plan } = context;
  if (!plan.survey?.submitted) return { surveys: [] };
  const measured = outcome ? measuredAnswers(random, outcome) : {};
  let csat: number | undefined;
  const surveyData: Json[] = [];
  // Now and then a filled survey holds no answer rows at all.
  const questions = random.chance(0.03) ? [] : QUESTIONS.filter(() => random.chance(0.8));
  for (const question of questions) {
    const invalid = question.answers !== undefined && random.chance(0.07);
    const answer = question.answers
      ? invalid
        ? maybeAwkward(random, "maybe later", { rate: 0.5 })
        : measured[question.type] ?? favoured(random, question.answers)
      : maybeAwkward(random, random.pick(FREE_TEXTS), { rate: 0.35 });
    if (question.type === "csat" && !invalid) csat = Number(answer);
    surveyData.push({
      question: question.text,
      answer,
      questionId: question.id,
      answerId: invalid ? "InvalidAnswer" : question.answers ? `${question.id}-${answer}` : "",
      questionType: question.type,
      questionFormat: question.format,
      answerSeq: surveyData.length + 1,
      isValidAnswer: !invalid,
    });
  }
  const survey = {
    surveyType: random.chance(0.7) ? "PostSurvey" : "Satisfaction",
    surveyStatus: "FILLED",
    dialogId: context.surveyDialogId,
    surveyId: random.pick(["4110203510", "4110203610"]),
    surveyData,
  };
  return { surveys: [survey], ...(csat === undefined ? {} : { csat }) };
}

const AGENT_QUESTIONS = [
  { questionText: "Reason for contact", questionId: "1571000101", category: "MULTIPLE_CHOICE" },
  { questionText: "Notes | for the next agent", questionId: "1571000102", category: "FREE_TEXT" },
  { questionText: "Minutes spent after the chat", questionId: "1571000103", category: "NUMBER" },
] as const;

function submittedAnswers(random: Random): Json[] {
  return AGENT_QUESTIONS.filter(() => random.chance(0.7)).map((question) => {
    const answers = question.category === "MULTIPLE_CHOICE"
      ? Array.from({ length: random.int(1, 2) }, (_, i) => ({
        answer: random.pick(["Billing", "Delivery", "Technical, other"]),
        answerId: `${question.questionId}${i}`,
      }))
      : [{
        answer: question.category === "NUMBER"
          ? String(random.int(0, 15))
          : maybeAwkward(random, "Customer asked for a refund", { rate: 0.4 }),
        answerId: question.questionId,
      }];
    return {
      questionText: question.questionText,
      questionId: question.questionId,
      questionDefinition: "REGULAR_QUESTION",
      questionCategory: question.category,
      answers,
    };
  });
}

/**
 * Draws the states the agent's wrap-up survey goes through after the close:
 * OPEN (pending), then submissions, a dismissal or a timeout. Empty when the
 * conversation never closes, no human had it, or the skill has no agent survey.
 *
 * @param context the conversation being built
 * @param assignments the conversation's assignments
 * @returns the states in time order; the last is `latestAgentSurvey`, and the
 *   ones past OPEN are `previouslySubmittedAgentSurveys`
 *
 * @example
 * ```ts
 * import { conversationContext } from "./dataset.ts";
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import { agentSurveyStates } from "./nodes_surveys.ts";
 * import assert from "node:assert/strict";
 * const context = conversationContext(resolveDataset({ count: 9, from: 0, to: 86_400_000 }), 4);
 * // Without a human agent there is no agent survey.
 * assert.deepEqual(agentSurveyStates(context, []), []);
 * ```
 */
export function agentSurveyStates(
  context: ConversationContext,
  assignments: readonly Assignment[],
): Json[] {
  const { random, plan } = context;
  const human = assignments.findLast((assignment) => assignment.agent.userType === "1");
  if (plan.conversationEnd === -1 || !human || !random.chance(0.4)) return [];
  const base: Json = {
    dialogId: context.conversationId,
    surveyId: pseudoUuid(random),
    acSurveyId: "4120518810",
    acSurveyName: "Wrap-up, after every chat",
    // The docs type the revision as a string; the example writes a number.
    acSurveyRevision: random.chance(0.85) ? 7 : "7",
    surveySkillId: human.skill.id,
    surveySkillName: human.skill.name,
    assignedAgentId: String(human.agent.id),
    assignedAgentNickName: human.agent.nickname,
    assignedAgentName: human.agent.fullName,
  };
  let clock = plan.conversationEnd + random.int(1_000, 5_000);
  const states: Json[] = [{
    surveyStatus: "OPEN",
    ...base,
    lastUpdateTime: clock,
    submittedAnswers: [],
  }];
  const later = () => {
    const room = plan.conversationEnd + AFTER_CLOSE_MS - clock;
    clock += random.int(1, Math.max(1, Math.floor(room / 3)));
    return clock;
  };
  const outcome = random.pick(["SUBMITTED", "SUBMITTED", "DISMISSED", "CLOSED", "OPEN"] as const);
  if (outcome === "SUBMITTED" || (outcome === "CLOSED" && random.chance(0.5))) {
    for (let i = random.int(1, 2); i > 0; i--) {
      const byManager = states.length > 1;
      const performer = byManager ? MANAGERS[0]! : human.agent;
      states.push({
        surveyStatus: "SUBMITTED",
        ...(outcome === "CLOSED" || random.chance(0.3)
          ? { statusReason: "PARTIALLY_SUBMITTED" }
          : {}),
        ...base,
        performedByAgentId: String(performer.id),
        performedByAgentNickName: performer.nickname,
        performedByAgentName: performer.fullName,
        lastUpdateTime: later(),
        submittedAnswers: submittedAnswers(random),
      });
    }
  }
  if (outcome === "DISMISSED" || outcome === "CLOSED") {
    states.push({
      surveyStatus: outcome,
      statusReason: outcome === "CLOSED" ? "timeout" : "skillChanged",
      ...base,
      lastUpdateTime: later(),
      submittedAnswers: [],
    });
  }
  return states;
}
