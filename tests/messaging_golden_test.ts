/**
 * Golden tests for messaging: the documented Messaging Interactions example
 * responses, turned into tables, compared with values read off the examples
 * by hand.
 *
 * The examples live in ../shared/liveperson/examples beside the repository
 * (CI has it; a user's clone does not). They are read from there, never
 * copied; without them these tests are reported as SKIPPED.
 */

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { fileURLToPath as fromFileUrl } from "node:url";
import { importPages } from "../lib/fetch/import_pages.ts";
import { MESSAGING_SOURCE } from "../lib/sources/messaging/mod.ts";
import { buildTables, type TablesSummary } from "../lib/tables/build.ts";
import { tableByName } from "../lib/tables/schema.ts";
import { type CsvRecord, readTableCsv } from "./helpers/read_csv.ts";

const EXAMPLES = new URL("../../shared/liveperson/examples/", import.meta.url);
const examplesExist = existsSync(fromFileUrl(EXAMPLES));
if (!examplesExist) {
  console.error(
    `SKIPPED: ../shared/liveperson/examples not found (${
      fromFileUrl(EXAMPLES)
    }): the messaging golden tests on LivePerson's documented responses did not run`,
  );
}

const CONVERSATION = "e5c58e49-e4a5-40a8-8a18-d6580d1d5630";
const START = "2016-08-29T14:30:24.565Z";

interface Built {
  readonly summary: TablesSummary;
  table(name: string): Promise<CsvRecord[]>;
}

/**
 * The second example is not valid JSON as published: its `lead` payload
 * lacks the comma after `serverTimeStamp` and has one too many after
 * `originalTimeStamp`. Those two commas are put right here, and nothing else.
 */
function repairLeadPayload(text: string): string {
  const broken = /("serverTimeStamp": "\d+")(\s*"originalTimeStamp": "\d+"),(\s*\})/;
  assert.match(text, broken, "the documented defect is still there (else drop this repair)");
  return text.replace(broken, "$1,$2$3");
}

async function withExample(
  file: string,
  repair: (text: string) => string,
  check: (built: Built) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "messaging_golden_" });
  try {
    const text = repair(await Deno.readTextFile(new URL(file, EXAMPLES)));
    await importPages(`${dir}/raw`, MESSAGING_SOURCE.api, [new TextEncoder().encode(text)]);
    const summary = await buildTables({
      source: MESSAGING_SOURCE,
      inDir: `${dir}/raw`,
      outDir: `${dir}/tables`,
      formats: ["csv"],
    });
    const folder = `${dir}/tables/messaging-interactions`;
    await check({ summary, table: (name) => readTableCsv(`${folder}/${name}.csv`) });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * A row as expected: the record's key, the given cells, and null in every
 * other column of the table, so a value in a column nobody expected fails.
 */
function expectedRow(table: string, cells: CsvRecord): CsvRecord {
  const columns = tableByName(MESSAGING_SOURCE.schema, table).columns;
  const row: CsvRecord = Object.fromEntries(columns.map((column) => [column.name, null]));
  return { ...row, conversationId: CONVERSATION, startTime: START, ...cells };
}

/** The three forms of one epoch-ms time: its string form, the ms and the ISO twin. */
function times(name: string, iso: string, ms: string): CsvRecord {
  return { [name]: iso, [`${name}L`]: ms, [`${name}L_iso`]: new Date(Number(ms)).toISOString() };
}

Deno.test({
  name:
    "messaging example 1: hand-written rows of the base, message, participant, transfer and survey tables",
  ignore: !examplesExist,
  fn: () =>
    withExample("msghist-search-response-1.json", (text) => text, async ({ summary, table }) => {
      assert.deepEqual(summary.unknownFields, {});
      assert.deepEqual(summary.typeMismatches, {});
      assert.deepEqual(summary.stillOpen, [CONVERSATION], "status OPEN is listed as still open");

      assert.deepEqual(await table("conversation"), [expectedRow("conversation", {
        startTimeL: "1472481024565",
        startTimeL_iso: START,
        // The example's string and epoch-ms end times disagree by 29 s; both are kept.
        ...times("endTime", "2016-08-29T19:58:24.565Z", "1472500733000"),
        ...times("conversationEndTime", "2016-08-29T18:58:24.565Z", "1472497133000"),
        ...times("fullDialogEndTime", "2016-08-29T19:58:24.565Z", "1472500733000"),
        duration: "78970",
        status: "OPEN",
        fullDialogStatus: "OPEN",
        closeReason: "AGENT",
        closeReasonDescription: "MANUAL_CLOSE",
        brandId: "qa26409991",
        latestAgentId: "3677470410",
        latestAgentLoginName: "michal@lp.com",
        latestAgentNickname: "michal@lp.com",
        latestAgentFullName: "michal@lp.com",
        agentDeleted: "false",
        latestAgentGroupId: "-1",
        latestAgentGroupName: "Unassigned",
        latestSkillId: "-1",
        latestSkillName: "Unassigned",
        latestQueueState: "ACTIVE",
        firstConversation: "false",
        csatRate: "5",
        mcs: "67",
        alertedMCS: "1",
        source: "APP",
        // device "undefined" and operatingSystem "NA" are LivePerson's "no value".
        browser: "chrome",
        pendingAgentSurvey: "false",
        isPartial: "false",
        campaign_campaignEngagementId: "2330596212",
        campaign_campaignEngagementName: "Engagement-123",
        campaign_campaignId: "2266771712",
        campaign_campaignName: "Live_Chat_on_your_site",
        campaign_goalId: "2266719412",
        campaign_goalName: "Interact with visitors",
        campaign_engagementAgentNote: "agent-note-test-messaging",
        campaign_engagementSource: "WEB_SITE",
        campaign_visitorBehaviorId: "2379540212",
        campaign_visitorBehaviorName: "someVisitorBehavior",
        campaign_engagementApplicationId: "28879660-84fd-4cd8-a1d7-ba3247bdb252",
        campaign_engagementApplicationName: "Some Mobile App Test",
        campaign_engagementApplicationTypeId: "92274cfd-29e7-4d94-a013-0646212d8075",
        campaign_engagementApplicationTypeName: "Mobile App",
        campaign_visitorProfileId: "2286779312",
        campaign_visitorProfileName: "All visitors",
        campaign_lobId: "2389848512",
        campaign_lobName: "lob_123",
        campaign_locationId: "2266779612",
        campaign_locationName: "Entire site",
        campaign_behaviorSystemDefault: "false",
        campaign_profileSystemDefault: "true",
        monitoring_country: "United States",
        monitoring_countryCode: "US",
        monitoring_state: "Michigan",
        monitoring_city: "Michigan",
        monitoring_isp: "AT&T U-verse",
        monitoring_org: "AT&T U-verse",
        monitoring_device: "DESKTOP",
        monitoring_ipAddress: "192.000.12.240",
        monitoring_browser: "Chrome 66.0.3359.181",
        monitoring_operatingSystem: "WINDOWS",
        monitoring_conversationStartPage: "https://testPage",
        monitoring_conversationStartPageTitle: "LivePerson Page",
        summary_text: "summary",
        summary_lastUpdatedTime: "1482333795318",
        summary_lastUpdatedTime_iso: "2016-12-21T15:23:15.318Z",
        responseTime_latestEffectiveResponseDueTime: "1527174367230",
        responseTime_latestEffectiveResponseDueTime_iso: "2018-05-24T15:06:07.230Z",
        responseTime_configuredResponseTime: "3000",
        latestAgentSurvey_surveyStatus: "CLOSED",
        latestAgentSurvey_statusReason: "timeout",
        latestAgentSurvey_surveyId: "2f053612-8fb4-4899-84a5-69590b245ff4",
        latestAgentSurvey_dialogId: "37990ff2-e65f-4709-907b-0a98dc46eeed",
        latestAgentSurvey_acSurveyId: "3592872510",
        latestAgentSurvey_acSurveyName: "Non mandatory",
        latestAgentSurvey_acSurveyRevision: "24",
        latestAgentSurvey_surveySkillId: "3592991110",
        latestAgentSurvey_surveySkillName: "skill C",
        latestAgentSurvey_assignedAgentId: "3610037310",
        latestAgentSurvey_assignedAgentNickName: "superuser",
        latestAgentSurvey_assignedAgentName: "superuser",
        latestAgentSurvey_lastUpdateTime: "1572390190715",
        latestAgentSurvey_lastUpdateTime_iso: "2019-10-29T23:03:10.715Z",
      })]);

      const messages = await table("messages");
      assert.equal(messages.length, 4);
      assert.deepEqual(
        messages[0],
        expectedRow("messages", {
          position: "0",
          messageId: "ms::conv:e5c58e49-e4a5-40a8-8a18-d6580d1d5630::msg:0",
          seq: "0",
          dialogId: CONVERSATION,
          ...times("time", "2016-08-29T15:14:19.564Z", "1472483659564"),
          type: "TEXT_PLAIN",
          sentBy: "Consumer",
          participantId: "f92c9890-2c95-428b-8a32-083528620d31",
          audience: "ALL",
          text: "Hi there #4",
          source: "APP",
        }),
      );
      assert.equal(messages[1]?.sentBy, "Agent");
      assert.match(messages[1]?.quickReplies ?? "", /^\{"type":"quickReplies","itemsPerRow":8,/);
      assert.match(messages[1]?.rawMetadata ?? "", /^\[\{"type":"BotResponse"/);
      assert.equal(messages[3]?.type, "RICH_CONTENT");
      assert.match(messages[3]?.richContent ?? "", /^\{"type":"vertical","elements":\[/);

      assert.deepEqual(await table("message_metadata_intents"), [expectedRow(
        "message_metadata_intents",
        {
          messagePosition: "1",
          metadataPosition: "0",
          position: "0",
          id: "some intent identifier",
          confidence: "MEDIUM",
          confidenceScore: "0.753",
        },
      )]);

      const [agent] = await table("agent_participants");
      assert.deepEqual(
        agent,
        expectedRow("agent_participants", {
          position: "0",
          agentId: "3677470410",
          agentLoginName: "michal@lp.com",
          agentNickname: "michal@lp.com",
          agentFullName: "michal@lp.com",
          userType: "1",
          userTypeName: "Human",
          role: "AGENT",
          permission: "ASSIGNED_AGENT",
          agentGroupId: "-1",
          agentGroupName: "Unassigned",
          ...times("time", "2016-08-29T15:14:05.005Z", "1472483645005"),
          dialogId: "cd5926e0-5b57-4c82-85c5-9c95f88263a1",
          rawMetadata: agent?.rawMetadata ?? "(missing)",
        }),
      );
      assert.match(agent?.rawMetadata ?? "", /"some intent {2}identifier"/, "text kept as sent");

      assert.deepEqual(await table("consumer_participants"), [expectedRow(
        "consumer_participants",
        {
          position: "0",
          participantId: "f92c9890-2c95-428b-8a32-083528620d31",
          firstName: "Visitor",
          lastName: "Test",
          consumerName: "Visitor",
          // email, token and avatarURL are "undefined" in the example: no value.
          phone: "0",
          ...times("time", "2016-08-29T14:30:24.573Z", "1472481024573"),
          dialogId: "cd5926e0-5b57-4c82-85c5-9c95f88263a1",
        },
      )]);

      const transfers = await table("transfers");
      assert.deepEqual(
        transfers[0],
        expectedRow("transfers", {
          position: "0",
          ...times("time", "2017-06-22T10:29:24.726Z", "1498127364726"),
          reason: "Skill",
          by: "196875613",
          sourceSkillId: "-1",
          sourceSkillName: "Unassigned",
          sourceAgentId: "196875613",
          sourceAgentLoginName: "michal1",
          sourceAgentNickname: "michal1",
          sourceAgentFullName: "michal1",
          targetSkillId: "2",
          targetSkillName: "cats",
          // assignedAgentId is the text "null" in the example: no value.
          dialogId: "cd5926e0-5b57-4c82-85c5-9c95f88263a1",
        }),
      );
      assert.equal(transfers.length, 2);

      assert.deepEqual(await table("surveys"), [expectedRow("surveys", {
        position: "0",
        surveyType: "Satisfaction",
        surveyStatus: "FILLED",
        dialogId: "cd5926e0-5b57-4c82-85c5-9c95f88263a1",
      })]);
      assert.deepEqual(await table("survey_answers"), [expectedRow("survey_answers", {
        surveyPosition: "0",
        position: "0",
        question: "Confirm Resolution",
        answer: "Yes",
      })]);

      const answers = await table("agent_survey_answers");
      assert.deepEqual(
        answers.map((row) => [row.surveyPosition, row.questionPosition, row.position, row.answer]),
        [
          ["0", "0", "0", "IdanAgent"],
          ["0", "1", "0", "2"],
          ["1", "0", "0", "AM"],
          ["1", "1", "0", "2"],
          ["2", "0", "0", "AM2"],
          ["2", "1", "0", "2"],
        ],
      );
    }),
});

Deno.test({
  name: "messaging example 2: typed and unauthenticated SDEs, misspelt lists read as their tables",
  ignore: !examplesExist,
  fn: () =>
    withExample("msghist-search-response-2-sdes-unauthsdes.txt", repairLeadPayload, async ({
      summary,
      table,
    }) => {
      assert.deepEqual(summary.unknownFields, {});
      assert.deepEqual(summary.typeMismatches, {});
      assert.equal(summary.rows.consumer_participants, 1, "consumerParticipant is read");
      assert.equal(summary.rows.message_scores, 2, "messageScore is read");
      const unauthenticated = Object.entries(summary.rows)
        .filter(([name, count]) => name.startsWith("unauth_sde_") && count > 0)
        .map(([name]) => name);
      assert.equal(unauthenticated.length, 14, unauthenticated.join(", "));

      const [lead] = await table("unauth_sde_lead");
      assert.deepEqual([lead?.topic, lead?.value, lead?.currency, lead?.leadId], [
        "luxury car test drive 2015",
        "22.22",
        null,
        "xyz123",
      ]);
      assert.equal(lead?.event_isAuthenticated, "false");
      const [customer] = await table("unauth_sde_customer_info");
      assert.equal(customer?.isAuthenticated, "false", "the payload's own flag has a column");
      const [conversation] = await table("conversation");
      assert.equal(conversation?.endTime, null, '"undefined" end of an open conversation');
      assert.equal(conversation?.endTimeL, null, "-1 end of an open conversation");
    }),
});
