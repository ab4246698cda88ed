/**
 * Golden tests: the documented LivePerson example responses, turned into
 * tables, compared with rows written out by hand.
 *
 * The examples live in ../shared/liveperson/examples beside the repository
 * (CI has it; a user's clone does not). They are read from there, never
 * copied; without them these tests are reported as SKIPPED.
 */

import assert from "node:assert/strict";
import { ENGAGEMENT_HISTORY_SOURCE } from "../lib/sources/engagement_history/mod.ts";
import { existsSync } from "node:fs";
import { fileURLToPath as fromFileUrl } from "node:url";
import { ENGAGEMENT_HISTORY } from "../lib/sources/engagement_history/api.ts";
import { importPages } from "../lib/fetch/import_pages.ts";
import { buildTables, type TablesSummary } from "../lib/tables/build.ts";
import { type CsvRecord, readTableCsv } from "./helpers/read_csv.ts";

const EXAMPLES = new URL("../../shared/liveperson/examples/", import.meta.url);
const examplesExist = existsSync(fromFileUrl(EXAMPLES));
if (!examplesExist) {
  console.error(
    `SKIPPED: ../shared/liveperson/examples not found (${
      fromFileUrl(EXAMPLES)
    }): the golden tests on LivePerson's documented responses did not run`,
  );
}

interface Built {
  readonly summary: TablesSummary;
  table(name: string): Promise<CsvRecord[]>;
  cleanup(): Promise<void>;
}

async function buildFromExample(file: string): Promise<Built> {
  const dir = await Deno.makeTempDir({ prefix: "tables_golden_" });
  const body = await Deno.readFile(new URL(file, EXAMPLES));
  await importPages(`${dir}/raw`, ENGAGEMENT_HISTORY, [body]);
  const summary = await buildTables({
    source: ENGAGEMENT_HISTORY_SOURCE,
    inDir: `${dir}/raw`,
    outDir: `${dir}/tables`,
    formats: ["csv"],
  });
  return {
    summary,
    table: (name) => readTableCsv(`${dir}/tables/engagement-history/${name}.csv`),
    cleanup: () => Deno.remove(dir, { recursive: true }),
  };
}

const ID = "qa359315574294967901";
const START = "2017-02-01T17:11:59.916Z";

/** The interaction row both examples share, except for the fields passed in. */
function interactionRow(overrides: CsvRecord): CsvRecord {
  return {
    engagementId: ID,
    startTime: START,
    startTimeL: "1485969119916",
    startTimeL_iso: START,
    endTime: "2017-02-01T17:26:47.735Z",
    endTimeL: "1485970007735",
    endTimeL_iso: "2017-02-01T17:26:47.735Z",
    duration: "887",
    chatRequestedTime: "2017-02-01T17:11:55.781Z",
    chatRequestedTimeL: "1485969115781",
    chatRequestedTimeL_iso: "2017-02-01T17:11:55.781Z",
    visitorId: "UwYzRjYzJhMzQ0YTRlYzcz",
    visitorName: "You",
    sharkEngagementId: "qa35931557_xMzD21hMRaOLuOl27h9yaw_1",
    accountId: "qa35931557",
    agentId: "213185812",
    agentName: null,
    agentNickName: "liorr@liveperson.com",
    agentLoginName: "liorr@liveperson.com",
    agentFullName: "liorr@liveperson.com",
    agentDeleted: null,
    agentGroupId: "-1",
    agentGroupName: "Main Group",
    skillId: "-1",
    skillName: "Unassigned",
    channel: "1",
    startReason: "0",
    startReasonDesc: "Visitor request",
    endReason: "201",
    endReasonDesc: "Rep stopped chat",
    engagementSet: "0",
    engagementSequence: "0",
    mcs: "1",
    alertedMCS: null,
    chatMCS: "60",
    chatStartUrl: "http://hc1d.dev.lprnd.net/smt.jsp?siteid=qa35931557",
    chatStartPage: "LE 2.0 Test Page",
    isInteractive: "true",
    interactive: "true",
    isAgentSurvey: "false",
    isPostChatSurvey: "false",
    isPreChatSurvey: "false",
    isPartial: "false",
    ended: "true",
    chatDataEnriched: "false",
    campaign_campaignEngagementId: "213185212",
    campaign_campaignEngagementName: "Sticky chat button",
    campaign_campaignId: "213185112",
    campaign_campaignName: "Live Chat on your site",
    campaign_goalId: "213184812",
    campaign_goalName: "Interact with visitors",
    campaign_engagementAgentNote: null,
    campaign_visitorBehaviorId: "213184912",
    campaign_visitorBehaviorName: "Any behavior",
    campaign_visitorProfileId: "213184712",
    campaign_visitorProfileName: "All visitors",
    campaign_lobId: "-1",
    // "NA" is LivePerson's "no value".
    campaign_lobName: null,
    // Empty strings stay empty strings, apart from null.
    visitorInfo_country: "",
    visitorInfo_countryCode: "",
    visitorInfo_state: "",
    visitorInfo_city: "",
    visitorInfo_isp: "",
    visitorInfo_org: "",
    visitorInfo_device: "DESKTOP",
    visitorInfo_ipAddress: "192.168.20.237",
    visitorInfo_browser: "Chrome 49.0.2623.87",
    visitorInfo_browserType: null,
    visitorInfo_operatingSystem: "MAC_OSX",
    extra: null,
    ...overrides,
  };
}

/** A transcript line row of the examples (all of them have lineSeq absent and agentId set). */
function lineRow(
  position: number,
  time: string,
  timeL: string,
  fields: { controlType: string; text: string | null; by: string; source: string },
  more: { textType?: string; agentId?: string; json?: string | null } = {},
): CsvRecord {
  return {
    engagementId: ID,
    startTime: START,
    position: String(position),
    time,
    timeL,
    timeL_iso: time,
    lineSeq: null,
    by: fields.by,
    source: fields.source,
    text: fields.text,
    json: more.json ?? null,
    textType: more.textType ?? "plain",
    subType: "REGULAR",
    controlType: fields.controlType,
    cannedAnswerType: "0",
    agentId: more.agentId ?? "0",
    extra: null,
  };
}

const AGENT = "liorr@liveperson.com";
const SYSTEM = { by: "info", source: "system" };
const VISITOR = { by: "You", source: "visitor" };
const AGENT_LINE = { by: AGENT, source: "agent" };

/** Lines shared by both examples, in order, without the rich-content line of example 2. */
function commonLines(): CsvRecord[] {
  return [
    lineRow(0, "2017-02-01T17:11:55.981Z", "1485969115981", {
      controlType: "4",
      text: "Thank you for choosing to chat with us.  An agent will be with you shortly.",
      ...SYSTEM,
    }),
    lineRow(1, "2017-02-01T17:11:59.913Z", "1485969119913", {
      controlType: "3",
      text: "You are now chatting with liorr@liveperson.com.",
      ...SYSTEM,
    }),
    lineRow(2, "2017-02-01T17:12:03.246Z", "1485969123246", {
      controlType: "0",
      text: "hello",
      ...AGENT_LINE,
    }, { textType: "html", agentId: "213185812" }),
    lineRow(3, "2017-02-01T17:12:16.179Z", "1485969136179", {
      controlType: "0",
      text: "I love your service",
      ...VISITOR,
    }),
    lineRow(4, "2017-02-01T17:13:11.491Z", "1485969191491", {
      controlType: "0",
      text: "I love your service very much",
      ...VISITOR,
    }),
    lineRow(5, "2017-02-01T17:16:11.501Z", "1485969371501", {
      controlType: "0",
      text: "I'm sorry for the delay. I'll be right with you.",
      ...AGENT_LINE,
    }, { agentId: "213185812" }),
    lineRow(6, "2017-02-01T17:19:11.502Z", "1485969551502", {
      controlType: "0",
      text: "Thank you for waiting. I'll be with you in just a moment.",
      ...AGENT_LINE,
    }, { agentId: "213185812" }),
  ];
}

function closingLines(firstPosition: number): CsvRecord[] {
  return [
    lineRow(firstPosition, "2017-02-01T17:20:45.197Z", "1485969645197", {
      controlType: "0",
      text: "fgdfdf",
      ...AGENT_LINE,
    }, { textType: "html", agentId: "213185812" }),
    lineRow(firstPosition + 1, "2017-02-01T17:26:47.735Z", "1485970007735", {
      controlType: "5",
      text: "Thank you for chatting with us.",
      ...SYSTEM,
    }),
  ];
}

function surveyRow(position: number, fields: CsvRecord): CsvRecord {
  return {
    engagementId: ID,
    startTime: START,
    position: String(position),
    scope: "Session",
    timeL: "1485969115981",
    timeL_iso: "2017-02-01T17:11:55.981Z",
    extra: null,
    ...fields,
  };
}

const COBROWSE_ROWS: CsvRecord[] = [
  {
    engagementId: ID,
    startTime: START,
    position: "0",
    sessionId: "ffc41057-70fe-4a10-ab3e-6065a89dac64",
    sessionStartTime: "2017-03-02T10:16:39.842Z",
    sessionStartTimeL: "1488449799842",
    sessionStartTimeL_iso: "2017-03-02T10:16:39.842Z",
    endTime: "2017-03-02T10:16:39.842Z",
    endTimeL: "1488449799842",
    endTimeL_iso: "2017-03-02T10:16:39.842Z",
    interactiveTime: null,
    interactiveTimeL: null,
    interactiveTimeL_iso: null,
    endReason: "SERVER",
    duration: "29873",
    interactive: "false",
    extra: null,
  },
  {
    engagementId: ID,
    startTime: START,
    position: "1",
    sessionId: "d44796ae-4f3e-4b20-a2c8-eba5a4f20928",
    sessionStartTime: "2017-03-02T10:24:51.510Z",
    sessionStartTimeL: "1488450291510",
    sessionStartTimeL_iso: "2017-03-02T10:24:51.510Z",
    endTime: "2017-03-02T10:24:51.510Z",
    endTimeL: "1488450291510",
    endTimeL_iso: "2017-03-02T10:24:51.510Z",
    interactiveTime: "2017-03-02T10:18:07.634Z",
    interactiveTimeL: "1488449887634",
    interactiveTimeL_iso: "2017-03-02T10:18:07.634Z",
    endReason: "SERVER",
    duration: "485279",
    interactive: "true",
    extra: null,
  },
];

function purchaseRow(position: number, serverMs: string, serverIso: string): CsvRecord {
  return {
    engagementId: ID,
    startTime: START,
    position: String(position),
    event_serverTimeStamp: serverMs,
    event_serverTimeStamp_iso: serverIso,
    event_sdeType: "PURCHASE",
    event_isAuthenticated: "false",
    event_typeKey: "purchase",
    serverTimeStamp: serverMs,
    serverTimeStamp_iso: serverIso,
    isAuthenticated: null,
    total: "77.0",
    currency: null,
    orderId: "Test123",
    cart_total: null,
    cart_currency: null,
    cart_numItems: null,
    cart_serverTimeStamp: null,
    cart_serverTimeStamp_iso: null,
    cart_originalTimeStamp: null,
    cart_originalTimeStamp_iso: null,
    extra: null,
  };
}

Deno.test({
  name: "buildTables() turns the documented chatMCS example into the expected rows",
  ignore: !examplesExist,
  fn: async () => {
    const built = await buildFromExample("enghist-search-response-2-chatmcs.json");
    try {
      assert.deepEqual(await built.table("interaction"), [interactionRow({})]);

      const lines = await built.table("transcript_lines");
      const richContent = lines[7];
      assert.ok(richContent);
      // The rich-content payload is kept whole, as JSON, numbers as sent.
      const json = JSON.parse(richContent.json ?? "null");
      assert.equal(json.type, "vertical");
      assert.equal(json.elements.length, 8);
      assert.match(richContent.json ?? "", /"la":2423423423/);
      assert.deepEqual(lines, [
        ...commonLines(),
        lineRow(7, "2017-02-01T17:19:13.252Z", "1485969553252", {
          controlType: "0",
          text: null,
          ...AGENT_LINE,
        }, { textType: "rich-content", agentId: "213185812", json: richContent.json ?? null }),
        ...closingLines(8),
      ]);

      assert.deepEqual(await built.table("cobrowse_sessions"), COBROWSE_ROWS);
      const purchases = (await built.table("sde_purchase")).map((row) => ({ ...row }));
      assert.deepEqual(purchases, [
        {
          ...purchaseRow(0, "1485969113673", "2017-02-01T17:11:53.673Z"),
          originalTimeStamp: "1485969113673",
          originalTimeStamp_iso: "2017-02-01T17:11:53.673Z",
        },
        {
          ...purchaseRow(1, "1485970063032", "2017-02-01T17:27:43.032Z"),
          originalTimeStamp: "1485969113673",
          originalTimeStamp_iso: "2017-02-01T17:11:53.673Z",
        },
      ]);
      assert.deepEqual(await built.table("sde_purchase_products"), []);
      for (const name of ["surveys_prechat", "surveys_postchat", "line_scores"]) {
        assert.deepEqual(await built.table(name), [], name);
      }
      assert.deepEqual(built.summary.unknownFields, {});
      assert.deepEqual(built.summary.typeMismatches, {});
    } finally {
      await built.cleanup();
    }
  },
});

Deno.test({
  name: "buildTables() turns the documented alertedMCS and surveys example into the expected rows",
  ignore: !examplesExist,
  fn: async () => {
    const built = await buildFromExample("enghist-search-response-3-alertedmcs-surveys.json");
    try {
      assert.deepEqual(await built.table("interaction"), [
        interactionRow({ alertedMCS: "1", isPostChatSurvey: "true", isPreChatSurvey: "true" }),
      ]);
      assert.deepEqual(await built.table("transcript_lines"), [
        ...commonLines(),
        ...closingLines(7),
      ]);
      assert.deepEqual(await built.table("surveys_prechat"), [
        surveyRow(0, {
          surveyID: "195991",
          name: "Pre-Chat Survey",
          questionID: "1",
          displayName: "Name",
          value: "Irena",
          values: '["Irena"]',
          answersId: "[-1]",
          source: "Pre-Chat",
          time: "2017-02-01T17:11:55.700Z",
        }),
        surveyRow(1, {
          surveyID: "195991",
          // The trailing space is LivePerson's, and it stays.
          name: "Pre-Chat Survey ",
          questionID: "2",
          displayName: "Email",
          value: "irena@gmail.com",
          values: '["irena@gmail.com"]',
          answersId: "[-1]",
          source: "Pre-Chat",
          time: "2017-02-01T17:11:55.700Z",
        }),
      ]);
      assert.deepEqual(await built.table("surveys_postchat"), [
        surveyRow(0, {
          surveyID: "222726",
          name: "Post-chat Survey v2 (All Channels)",
          questionID: "9",
          displayName: "How was the visit ?",
          value: "It was good",
          values: '["It was good"]',
          answersId: "[1]",
          source: "Exit",
          time: "2017-02-01T17:26:55.700Z",
        }),
        surveyRow(1, {
          surveyID: "222726",
          name: "Post-chat Survey v2 (All Channels)",
          questionID: "14",
          displayName: "Will you recommentd us ?",
          value: "Yes",
          values: '["Yes"]',
          answersId: "[1]",
          source: "Exit",
          time: "2018-02-07T17:26:55.429Z",
        }),
      ]);
      assert.deepEqual(await built.table("surveys_operator"), []);
      assert.deepEqual(await built.table("cobrowse_sessions"), COBROWSE_ROWS);
      assert.deepEqual(await built.table("sde_purchase"), [
        {
          ...purchaseRow(0, "1485969113673", "2017-02-01T17:11:53.673Z"),
          originalTimeStamp: null,
          originalTimeStamp_iso: null,
        },
        {
          ...purchaseRow(1, "1485970063032", "2017-02-01T17:27:43.032Z"),
          originalTimeStamp: null,
          originalTimeStamp_iso: null,
        },
      ]);
      assert.equal(built.summary.records, 1);
      assert.deepEqual(built.summary.unknownFields, {});
    } finally {
      await built.cleanup();
    }
  },
});
