/**
 * The relational model of Engagement History records: every table, key and
 * column, with its source path in the record, type and meaning.
 *
 * This is the single source of truth. The flattener reads its row sources and
 * column paths, the CSV header and the Parquet schema come from its columns,
 * and docs/TABLES.md is generated from it.
 *
 * Choices, in short (docs/TABLES.md has the long form):
 * - `campaign` and `visitorInfo` are one-to-one with an engagement, so they are
 *   prefixed columns of `interaction` (`campaign_campaignId`,
 *   `visitorInfo_country`): no join for the most common questions, and one row
 *   per engagement stays one row.
 * - Fields the model does not know go, per row, into the table's `extra` column
 *   (a JSON object keyed by their path), so a CSV header never has to change in
 *   the middle of a streaming run and nothing is dropped.
 * - Ids are text. Numbers keep the exact text the server sent.
 *
 * @module
 */

/** Type of a column: what Parquet stores and what a notebook should read it as. */
export type ColumnType = "string" | "integer" | "float" | "boolean" | "timestamp" | "json";

/**
 * Where a column's value comes from:
 * `key` the engagement's id or start time, copied into every table;
 * `position` index in the source array;
 * `field` a field of the row's JSON object;
 * `derived` computed from another column of the same row;
 * `extra` fields the model does not know.
 */
export type ColumnRole = "key" | "position" | "field" | "derived" | "extra";

/** How a derived column is computed. */
export type Derivation = "epochMsToIso" | "sdeTypeKey";

/** One column of a table. */
export interface ColumnModel {
  /** Column name: LivePerson's field name, node-prefixed for flattened one-to-one nodes. */
  readonly name: string;
  /** Storage type; ids are always `string`. */
  readonly type: ColumnType;
  /** JSON path in the record (`transcript.lines[].text`), or how it is derived. */
  readonly source: string;
  /** One-line meaning. */
  readonly description: string;
  /** Where the value comes from. */
  readonly role: ColumnRole;
  /** For `field` columns: path below the row's JSON object. */
  readonly path?: readonly string[];
  /** Other paths that fill the column when `path` is absent (spellings seen in LivePerson's docs). */
  readonly aliases?: readonly (readonly string[])[];
  /** Texts that mean "no value": such a value becomes null. */
  readonly nullWhen?: readonly string[];
  /** `lpTime`: a LivePerson string time, written as ISO-8601 UTC. */
  readonly normalise?: "lpTime";
  /** For `derived` columns: how, and from which column. */
  readonly derive?: { readonly from: string; readonly how: Derivation };
}

/** Where a table's rows come from in a record. */
export type RowSource =
  | { readonly kind: "record" }
  | { readonly kind: "array"; readonly path: readonly string[] }
  | {
    readonly kind: "sdeEvent";
    /** Type keys of the event, the first being the documented one. */
    readonly typeKeys: readonly string[];
    /** Inner object that repeats the type key (`customerInfo.customerInfo`). */
    readonly wrapper?: string;
  }
  | { readonly kind: "sdeOther" }
  | {
    readonly kind: "nested";
    /** The table whose row object holds the array. */
    readonly parent: string;
    /** Path of the array below the parent's row object. */
    readonly path: readonly string[];
  };

/** One table. */
export interface TableModel {
  /** snake_case table name; also the file name (`interaction.csv`). */
  readonly name: string;
  /** What one row is. */
  readonly description: string;
  /** Columns that identify a row. */
  readonly primaryKey: readonly string[];
  /** Columns in file order. */
  readonly columns: readonly ColumnModel[];
  /** Where the rows come from. */
  readonly rows: RowSource;
  /** JSON path of one row in a record (`transcript.lines[]`). */
  readonly rowPath: string;
}

/** LivePerson's "no value" texts, for fields LivePerson fills in itself. */
export const ABSENT_TEXTS: readonly string[] = Object.freeze(["undefined", "null", "NA"]);
/** "No value" texts of string times: the sentinels and the empty string. */
export const ABSENT_TIME_TEXTS: readonly string[] = Object.freeze(["undefined", "null", "NA", ""]);
/** "No value" of epoch-millisecond times. */
export const ABSENT_EPOCH_TEXTS: readonly string[] = Object.freeze(["-1"]);

/** Name of the column that holds unknown fields in every table. */
export const EXTRA_COLUMN = "extra";
/** Path prefix under which an SDE table's row object holds the event-level fields. */
export const EVENT_FIELDS = "$event";

interface FieldOptions {
  readonly name?: string;
  readonly aliases?: readonly string[];
  readonly nullWhen?: readonly string[];
}

function sourceOf(rowPath: string, path: string): string {
  if (path === "") return rowPath;
  if (path.startsWith(`${EVENT_FIELDS}.`)) {
    return `sdes.events[].${path.slice(EVENT_FIELDS.length + 1)}`;
  }
  return rowPath === "" ? path : `${rowPath}.${path}`;
}

function defaultName(path: string): string {
  return path.replace(`${EVENT_FIELDS}.`, "event.").replaceAll(".", "_");
}

function field(
  rowPath: string,
  path: string,
  type: ColumnType,
  description: string,
  options: FieldOptions = {},
): ColumnModel {
  const aliases = options.aliases?.map((alias) => alias.split("."));
  const source = [path, ...(options.aliases ?? [])].map((p) => sourceOf(rowPath, p)).join(" | ");
  return {
    name: options.name ?? defaultName(path),
    type,
    source,
    description,
    role: "field",
    path: path === "" ? [] : path.split("."),
    ...(aliases ? { aliases } : {}),
    ...(options.nullWhen ? { nullWhen: options.nullWhen } : {}),
  };
}

/** A LivePerson string time, written as ISO-8601 UTC. */
function lpTime(
  rowPath: string,
  path: string,
  description: string,
  options: FieldOptions = {},
): ColumnModel {
  return {
    ...field(rowPath, path, "timestamp", description, {
      nullWhen: ABSENT_TIME_TEXTS,
      ...options,
    }),
    normalise: "lpTime",
  };
}

/** An epoch-ms field (kept as sent) and its ISO-8601 UTC twin `<name>_iso`. */
function epoch(
  rowPath: string,
  path: string,
  description: string,
  options: FieldOptions = {},
): ColumnModel[] {
  const raw = field(rowPath, path, "integer", `${description} (epoch ms)`, {
    nullWhen: ABSENT_EPOCH_TEXTS,
    ...options,
  });
  return [raw, {
    name: `${raw.name}_iso`,
    type: "timestamp",
    source: `${raw.name} as ISO-8601 UTC`,
    description: `${description} (UTC)`,
    role: "derived",
    derive: { from: raw.name, how: "epochMsToIso" },
  }];
}

const ENGAGEMENT_ID: ColumnModel = {
  name: "engagementId",
  type: "string",
  source: "info.engagementId",
  description: "Engagement (chat) id; joins to interaction.engagementId",
  role: "key",
};

const ENGAGEMENT_START: ColumnModel = {
  name: "startTime",
  type: "timestamp",
  source: "info.startTime",
  description: "Start of the engagement, as interaction.startTime",
  role: "key",
};

function position(name: string, description: string): ColumnModel {
  return { name, type: "integer", source: "array index, from 0", description, role: "position" };
}

const EXTRA: ColumnModel = {
  name: EXTRA_COLUMN,
  type: "json",
  source: "fields of the row not in this model",
  description:
    "Unknown fields and values that do not fit their column, as a JSON object keyed by path; null if none",
  role: "extra",
};

function childTable(
  name: string,
  description: string,
  rowPath: string,
  rows: RowSource,
  columns: readonly ColumnModel[],
): TableModel {
  // SDE tables number their rows by the event's place among all events.
  const array = rows.kind === "sdeEvent" ? "sdes.events" : rowPath.replace(/\[\]$/, "");
  return {
    name,
    description,
    primaryKey: ["engagementId", "position"],
    columns: [
      ENGAGEMENT_ID,
      ENGAGEMENT_START,
      position("position", `Index in ${array}, from 0`),
      ...columns,
      EXTRA,
    ],
    rows,
    rowPath,
  };
}

function grandchildTable(
  name: string,
  description: string,
  parent: string,
  parentRowPath: string,
  path: string,
  columns: readonly ColumnModel[],
): TableModel {
  const rowPath = `${parentRowPath}.${path}[]`;
  return {
    name,
    description,
    primaryKey: ["engagementId", "eventPosition", "position"],
    columns: [
      ENGAGEMENT_ID,
      ENGAGEMENT_START,
      position(
        "eventPosition",
        `Index of the SDE event in sdes.events; joins to ${parent}.position`,
      ),
      position("position", `Index in ${path}, from 0`),
      ...columns,
      EXTRA,
    ],
    rows: { kind: "nested", parent, path: path.split(".") },
    rowPath,
  };
}

// ---------------------------------------------------------------------------
// interaction: one row per engagement (info, campaign, visitorInfo)

const R = "";
const INFO_COLUMNS: readonly ColumnModel[] = [
  field(
    R,
    "info.engagementId",
    "string",
    "Engagement (chat) id: account id + chat id; primary key",
    {
      name: "engagementId",
    },
  ),
  lpTime(R, "info.startTime", "Start of the engagement", { name: "startTime" }),
  ...epoch(R, "info.startTimeL", "Start of the engagement", { name: "startTimeL" }),
  lpTime(R, "info.endTime", "End of the engagement; null while open", { name: "endTime" }),
  ...epoch(R, "info.endTimeL", "End of the engagement; null while open", { name: "endTimeL" }),
  field(R, "info.duration", "integer", "Length of the engagement in seconds", { name: "duration" }),
  lpTime(R, "info.chatRequestedTime", "When the visitor asked for a chat", {
    name: "chatRequestedTime",
  }),
  ...epoch(R, "info.chatRequestedTimeL", "When the visitor asked for a chat", {
    name: "chatRequestedTimeL",
  }),
  field(R, "info.visitorId", "string", "Visitor id", { name: "visitorId" }),
  field(R, "info.visitorName", "string", "Visitor name as given in the chat", {
    name: "visitorName",
  }),
  field(R, "info.sharkEngagementId", "string", "Internal engagement id", {
    name: "sharkEngagementId",
  }),
  field(R, "info.accountId", "string", "LivePerson account id", { name: "accountId" }),
  field(R, "info.agentId", "string", "Agent id", { name: "agentId" }),
  field(R, "info.agentName", "string", "Agent nickname (older responses)", {
    name: "agentName",
    nullWhen: ABSENT_TEXTS,
  }),
  field(R, "info.agentNickName", "string", "Agent nickname", {
    name: "agentNickName",
    nullWhen: ABSENT_TEXTS,
  }),
  field(R, "info.agentLoginName", "string", "Agent login name", {
    name: "agentLoginName",
    nullWhen: ABSENT_TEXTS,
  }),
  field(R, "info.agentFullName", "string", "Agent full name", {
    name: "agentFullName",
    aliases: ["info.agentFullname"],
    nullWhen: ABSENT_TEXTS,
  }),
  field(R, "info.agentDeleted", "boolean", "Whether the agent has been deleted", {
    name: "agentDeleted",
  }),
  field(R, "info.agentGroupId", "string", "Agent group id; -1 for the main group", {
    name: "agentGroupId",
  }),
  field(R, "info.agentGroupName", "string", "Agent group name", {
    name: "agentGroupName",
    nullWhen: ABSENT_TEXTS,
  }),
  field(R, "info.skillId", "string", "Skill id; -1 when unassigned", { name: "skillId" }),
  field(R, "info.skillName", "string", "Skill name", {
    name: "skillName",
    nullWhen: ABSENT_TEXTS,
  }),
  field(R, "info.channel", "integer", "Channel code", { name: "channel" }),
  field(R, "info.startReason", "string", "Start reason code (0 visitor request, 1 transfer, …)", {
    name: "startReason",
  }),
  field(R, "info.startReasonDesc", "string", "Start reason text", {
    name: "startReasonDesc",
    nullWhen: ABSENT_TEXTS,
  }),
  field(
    R,
    "info.endReason",
    "string",
    "End reason code (201 rep stopped chat, 210 visitor closed, …)",
    {
      name: "endReason",
    },
  ),
  field(R, "info.endReasonDesc", "string", "End reason text", {
    name: "endReasonDesc",
    nullWhen: ABSENT_TEXTS,
  }),
  field(R, "info.engagementSet", "integer", "Split-engagement counter within the visit", {
    name: "engagementSet",
  }),
  field(R, "info.engagementSequence", "integer", "Transfer counter within the visit", {
    name: "engagementSequence",
  }),
  field(R, "info.mcs", "integer", "Meaningful connection score -1/0/1 (deprecated)", {
    name: "mcs",
  }),
  field(R, "info.alertedMCS", "integer", "Alerted meaningful connection score -1/0/1", {
    name: "alertedMCS",
  }),
  field(R, "info.chatMCS", "integer", "Chat meaningful connection score 0–100", {
    name: "chatMCS",
  }),
  field(R, "info.chatStartUrl", "string", "URL of the page the chat started on", {
    name: "chatStartUrl",
    nullWhen: ABSENT_TEXTS,
  }),
  field(R, "info.chatStartPage", "string", "Title of the page the chat started on", {
    name: "chatStartPage",
    nullWhen: ABSENT_TEXTS,
  }),
  field(R, "info.isInteractive", "boolean", "Whether the chat was interactive", {
    name: "isInteractive",
  }),
  field(R, "info.interactive", "boolean", "Whether the chat was interactive (second flag)", {
    name: "interactive",
  }),
  field(R, "info.isAgentSurvey", "boolean", "Whether an agent survey was filled in", {
    name: "isAgentSurvey",
  }),
  field(R, "info.isPostChatSurvey", "boolean", "Whether a post-chat survey was filled in", {
    name: "isPostChatSurvey",
  }),
  field(R, "info.isPreChatSurvey", "boolean", "Whether a pre-chat survey was filled in", {
    name: "isPreChatSurvey",
  }),
  field(R, "info.isPartial", "boolean", "Whether the record is partial (fetch it again)", {
    name: "isPartial",
  }),
  field(R, "info.ended", "boolean", "Whether the engagement has ended", { name: "ended" }),
  field(R, "info.chatDataEnriched", "boolean", "Whether final enrichment (SDEs) has run", {
    name: "chatDataEnriched",
  }),
];

const CAMPAIGN_COLUMNS: readonly ColumnModel[] = [
  field(R, "campaign.campaignEngagementId", "string", "Campaign engagement id"),
  field(R, "campaign.campaignEngagementName", "string", "Campaign engagement name", {
    nullWhen: ABSENT_TEXTS,
  }),
  field(R, "campaign.campaignId", "string", "Campaign id"),
  field(R, "campaign.campaignName", "string", "Campaign name", { nullWhen: ABSENT_TEXTS }),
  field(R, "campaign.goalId", "string", "Goal id"),
  field(R, "campaign.goalName", "string", "Goal name", { nullWhen: ABSENT_TEXTS }),
  field(R, "campaign.engagementAgentNote", "string", "Agent note of the engagement"),
  field(R, "campaign.visitorBehaviorId", "string", "Visitor behaviour id"),
  field(R, "campaign.visitorBehaviorName", "string", "Visitor behaviour name", {
    nullWhen: ABSENT_TEXTS,
  }),
  field(R, "campaign.visitorProfileId", "string", "Visitor profile id"),
  field(R, "campaign.visitorProfileName", "string", "Visitor profile name", {
    nullWhen: ABSENT_TEXTS,
  }),
  field(R, "campaign.lobId", "string", "Line of business id; -1 for none"),
  field(R, "campaign.lobName", "string", "Line of business name", { nullWhen: ABSENT_TEXTS }),
];

const VISITOR_INFO_COLUMNS: readonly ColumnModel[] = [
  ["country", "Country"],
  ["countryCode", "Country code"],
  ["state", "State or region"],
  ["city", "City"],
  ["isp", "Internet service provider"],
  ["org", "Organisation of the IP address"],
  ["device", "DESKTOP | TABLET | MOBILE"],
  ["ipAddress", "IP address"],
  ["browser", "Browser and version"],
  ["browserType", "Browser family (CHROME, FIREFOX, …)"],
  ["operatingSystem", "WINDOWS | MAC_OSX | LINUX | IOS | ANDROID"],
].map(([name, description]) =>
  field(R, `visitorInfo.${name}`, "string", description as string, { nullWhen: ABSENT_TEXTS })
);

const INTERACTION: TableModel = {
  name: "interaction",
  description:
    "One row per engagement: all of info, with campaign and visitorInfo as prefixed columns",
  primaryKey: ["engagementId"],
  columns: [...INFO_COLUMNS, ...CAMPAIGN_COLUMNS, ...VISITOR_INFO_COLUMNS, EXTRA],
  rows: { kind: "record" },
  rowPath: "",
};

// ---------------------------------------------------------------------------
// one-to-many nodes

const LINES = "transcript.lines[]";
const TRANSCRIPT_LINES = childTable(
  "transcript_lines",
  "One row per transcript line",
  LINES,
  { kind: "array", path: ["transcript", "lines"] },
  [
    lpTime(LINES, "time", "When the line was written"),
    ...epoch(LINES, "timeL", "When the line was written"),
    field(LINES, "lineSeq", "string", "Line sequence number; joins to line_scores.lineSeq"),
    field(LINES, "by", "string", "Visitor name, agent nickname, or info for system lines"),
    field(LINES, "source", "string", "visitor | agent | system"),
    field(LINES, "text", "string", "Text of the line, exactly as sent"),
    field(LINES, "json", "json", "Rich-content payload (textType rich-content), as JSON"),
    field(LINES, "textType", "string", "plain | html | url | rich-content"),
    field(LINES, "subType", "string", "REGULAR | ONLY_TO_REP"),
    field(LINES, "controlType", "integer", "Control type code"),
    field(LINES, "cannedAnswerType", "integer", "0 none, >0 canned answer id, <0 edited canned"),
    field(LINES, "agentId", "string", "Agent id of the line; 0 for non-agent lines"),
  ],
);

const SCORES = "lineScores[]";
const LINE_SCORES = childTable(
  "line_scores",
  "One row per line score (running MCS per line)",
  SCORES,
  { kind: "array", path: ["lineScores"] },
  [
    field(SCORES, "lineSeq", "string", "Line sequence number; joins to transcript_lines.lineSeq"),
    field(SCORES, "lineRawScore", "integer", "Raw score of the line"),
    field(SCORES, "mcs", "integer", "Running MCS up to this line"),
  ],
);

function surveyTable(name: string, key: string, label: string): TableModel {
  const rowPath = `surveys.${key}[]`;
  return childTable(name, `One row per ${label} survey answer`, rowPath, {
    kind: "array",
    path: ["surveys", key],
  }, [
    field(rowPath, "surveyID", "string", "Survey id", { aliases: ["surveyId"] }),
    field(rowPath, "name", "string", "Survey name"),
    field(rowPath, "questionID", "string", "Question id", { aliases: ["questionId"] }),
    field(rowPath, "displayName", "string", "Question text"),
    field(rowPath, "value", "string", "Answer text"),
    field(rowPath, "values", "json", "All answer values, as a JSON array"),
    field(rowPath, "answersId", "json", "Answer ids, as a JSON array (0 none, -1 free text)"),
    field(rowPath, "scope", "string", "Scope (Session)"),
    field(rowPath, "source", "string", "Survey source (Pre-Chat, Exit, …)"),
    lpTime(rowPath, "time", "When the answer was given"),
    ...epoch(rowPath, "timeL", "When the answer was given"),
  ]);
}

const CB = "coBrowseSessions.coBrowseSessionsList[]";
const COBROWSE_SESSIONS = childTable(
  "cobrowse_sessions",
  "One row per co-browse session",
  CB,
  { kind: "array", path: ["coBrowseSessions", "coBrowseSessionsList"] },
  [
    field(CB, "sessionId", "string", "Co-browse session id"),
    lpTime(CB, "startTime", "Start of the session (renamed: startTime is the engagement's)", {
      name: "sessionStartTime",
    }),
    ...epoch(CB, "startTimeL", "Start of the session", { name: "sessionStartTimeL" }),
    lpTime(CB, "endTime", "End of the session"),
    ...epoch(CB, "endTimeL", "End of the session"),
    lpTime(CB, "interactiveTime", "When the session became interactive"),
    ...epoch(CB, "interactiveTimeL", "When the session became interactive"),
    field(CB, "endReason", "string", "UNKOWN | SERVER | VISITOR | AGENT | TIMEOUT"),
    field(CB, "duration", "integer", "Length of the session in milliseconds"),
    field(CB, "interactive", "boolean", "Whether the session was interactive"),
  ],
);

// ---------------------------------------------------------------------------
// SDE events: one table per type, grandchild tables for their lists

/** `cartStatus` → `cart_status`: table names are snake_case, SDE type keys camelCase. */
function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function sdeTable(
  type: string,
  label: string,
  options: { aliases?: readonly string[]; wrapper?: string },
  columns: (rowPath: string) => readonly ColumnModel[],
): TableModel {
  const rowPath = `sdes.events[].${type}`;
  const rows: RowSource = {
    kind: "sdeEvent",
    typeKeys: [type, ...(options.aliases ?? [])],
    ...(options.wrapper ? { wrapper: options.wrapper } : {}),
  };
  const aliasNote = options.aliases?.length ? ` (also sent as ${options.aliases.join(", ")})` : "";
  return childTable(
    `sde_${snakeCase(type)}`,
    `One row per ${label} SDE event${aliasNote}`,
    rowPath,
    rows,
    [
      ...epoch(rowPath, `${EVENT_FIELDS}.serverTimeStamp`, "Event processing time"),
      field(rowPath, `${EVENT_FIELDS}.sdeType`, "string", "SDE type name (PURCHASE, …)"),
      field(
        rowPath,
        `${EVENT_FIELDS}.isAuthenticated`,
        "boolean",
        "Whether the SDE was authenticated",
      ),
      {
        name: "event_typeKey",
        type: "string",
        source: "the event's type key",
        description: `Key the event used (${[type, ...(options.aliases ?? [])].join(" or ")})`,
        role: "derived",
        derive: { from: "", how: "sdeTypeKey" },
      },
      ...epoch(rowPath, "serverTimeStamp", "Payload processing time"),
      ...epoch(rowPath, "originalTimeStamp", "Payload creation time"),
      ...columns(rowPath),
    ],
  );
}

function productColumns(rowPath: string, withStock: boolean): ColumnModel[] {
  return [
    field(rowPath, "quantity", "integer", "Quantity"),
    field(rowPath, "product.name", "string", "Product name"),
    field(rowPath, "product.category", "string", "Product category"),
    field(rowPath, "product.sku", "string", "Product SKU"),
    field(rowPath, "product.price", "float", "Product price"),
    ...(withStock
      ? [
        field(rowPath, "product.statusInStock", "string", "Stock status"),
        field(rowPath, "product.quantityInStock", "integer", "Quantity in stock"),
      ]
      : []),
  ];
}

function dateParts(rowPath: string, path: string, label: string): ColumnModel[] {
  return ["year", "month", "day"].map((part) =>
    field(rowPath, `${path}.${part}`, "integer", `${label}: ${part}`, {
      name: `${path.split(".").at(-1)}_${part}`,
    })
  );
}

const W_CUSTOMER = "customerInfo";
const SDE_CUSTOMER_INFO = sdeTable("customerInfo", "customer info", { wrapper: W_CUSTOMER }, (
  p,
) => [
  ...[
    ["customerStatus", "Customer status"],
    ["customerType", "Customer type"],
  ].map(([n, d]) => field(p, `${W_CUSTOMER}.${n}`, "string", d as string, { name: n })),
  field(p, `${W_CUSTOMER}.balance`, "float", "Balance", { name: "balance" }),
  field(p, `${W_CUSTOMER}.currency`, "string", "Currency of the balance", {
    name: "currency",
    aliases: [`${W_CUSTOMER}.Currency`],
  }),
  ...[
    ["customerId", "Customer id"],
    ["socialId", "Social id"],
    ["imei", "Device IMEI"],
    ["userName", "User name"],
    ["accountName", "Account name"],
    ["role", "Role"],
    ["companySize", "Company size"],
    ["companyBranch", "Company branch"],
    ["storeNumber", "Store number"],
    ["storeZipCode", "Store ZIP code"],
  ].map(([n, d]) => field(p, `${W_CUSTOMER}.${n}`, "string", d as string, { name: n })),
  ...dateParts(p, `${W_CUSTOMER}.lastPaymentDate`, "Last payment date"),
  ...dateParts(p, `${W_CUSTOMER}.registrationDate`, "Registration date"),
]);

const W_PERSONAL = "personalInfo";
const SDE_PERSONAL_INFO = sdeTable(
  "personalInfo",
  "personal info",
  { wrapper: W_PERSONAL },
  (p) => [
    ...[
      ["name", "First name"],
      ["surname", "Surname"],
      ["gender", "Gender"],
      ["company", "Company"],
      ["language", "Language"],
    ].map(([n, d]) => field(p, `${W_PERSONAL}.${n}`, "string", d as string, { name: n })),
    field(p, `${W_PERSONAL}.customerAge.customerAgeInYears`, "float", "Age in years", {
      name: "customerAge_customerAgeInYears",
    }),
    ...[
      ["customerYearOfBirth", "Year of birth"],
      ["customerMonthOfBirth", "Month of birth"],
      ["customerDateOfBirth", "Day of birth"],
    ].map(([n, d]) =>
      field(p, `${W_PERSONAL}.customerAge.${n}`, "integer", d as string, {
        name: `customerAge_${n}`,
      })
    ),
  ],
);

const W_CAMPAIGN = "marketingCampaignInfo";
const SDE_MARKETING = sdeTable(
  "marketingCampaignInfo",
  "marketing campaign info",
  { wrapper: W_CAMPAIGN },
  (p) => [
    field(p, `${W_CAMPAIGN}.originatingChannel`, "integer", "0 direct, 1 search, 2 social, …", {
      name: "originatingChannel",
    }),
    field(p, `${W_CAMPAIGN}.affiliate`, "string", "Affiliate", { name: "affiliate" }),
    field(p, `${W_CAMPAIGN}.campaignId`, "string", "Marketing campaign id", {
      name: "campaignId",
    }),
  ],
);

const SDE_CART_STATUS = sdeTable("cartStatus", "cart status", {}, (p) => [
  field(p, "total", "float", "Cart total"),
  field(p, "currency", "string", "Currency"),
  field(p, "numItems", "integer", "Number of items"),
]);

const SDE_PURCHASE = sdeTable("purchase", "purchase", {}, (p) => [
  field(p, "total", "float", "Purchase total"),
  field(p, "currency", "string", "Currency"),
  field(p, "orderId", "string", "Order id"),
  field(p, "cart.total", "float", "Cart total"),
  field(p, "cart.currency", "string", "Cart currency"),
  field(p, "cart.numItems", "integer", "Number of items in the cart"),
  ...epoch(p, "cart.serverTimeStamp", "Cart processing time"),
  ...epoch(p, "cart.originalTimeStamp", "Cart creation time"),
]);

const SDE_VIEWED_PRODUCT = sdeTable(
  "viewedProduct",
  "viewed product",
  { aliases: ["viewProduct"] },
  (p) => [field(p, "currency", "string", "Currency")],
);

const W_LEAD = "lead";
const SDE_LEAD = sdeTable("lead", "lead", { wrapper: W_LEAD }, (p) => [
  field(p, `${W_LEAD}.topic`, "string", "Lead topic", { name: "topic" }),
  field(p, `${W_LEAD}.value`, "float", "Lead value", { name: "value" }),
  field(p, `${W_LEAD}.currency`, "string", "Currency", { name: "currency" }),
  field(p, `${W_LEAD}.leadId`, "string", "Lead id", { name: "leadId" }),
]);

const W_SERVICE = "serviceActivity";
const SDE_SERVICE_ACTIVITY = sdeTable(
  "serviceActivity",
  "service activity",
  { wrapper: W_SERVICE },
  (p) => [
    field(p, `${W_SERVICE}.topic`, "string", "Topic", { name: "topic" }),
    field(p, `${W_SERVICE}.status`, "integer", "0 complete, 1 in progress, … 13 resolved", {
      name: "status",
    }),
    field(p, `${W_SERVICE}.category`, "string", "Category", { name: "category" }),
    field(p, `${W_SERVICE}.serviceId`, "string", "Service id", { name: "serviceId" }),
  ],
);

const W_ERROR = "visitorError";
const SDE_VISITOR_ERROR = sdeTable(
  "visitorError",
  "visitor error",
  { aliases: ["formFillingError"], wrapper: W_ERROR },
  (p) => [
    field(p, `${W_ERROR}.contextId`, "string", "Context id", { name: "contextId" }),
    field(p, `${W_ERROR}.message`, "string", 'Error message ({"string": …} unwrapped)', {
      name: "message",
    }),
    field(p, `${W_ERROR}.code`, "string", 'Error code ({"string": …} unwrapped)', {
      name: "code",
    }),
    field(p, `${W_ERROR}.level`, "integer", "Error level", { name: "level" }),
    field(p, `${W_ERROR}.resolved`, "boolean", "Whether the error was resolved", {
      name: "resolved",
    }),
  ],
);

const SDE_SEARCH_CONTENT = sdeTable("searchContent", "search content", {}, () => []);

const SDE_OTHER: TableModel = childTable(
  "sde_other",
  "One row per SDE event of a type this model does not know",
  "sdes.events[]",
  { kind: "sdeOther" },
  [field("sdes.events[]", "", "json", "The whole event, as JSON", { name: "event" })],
);

const PRODUCTS_DESC = "One row per product of";
const SDE_CART_STATUS_PRODUCTS = grandchildTable(
  "sde_cart_status_products",
  `${PRODUCTS_DESC} a cart status event`,
  "sde_cart_status",
  SDE_CART_STATUS.rowPath,
  "products",
  productColumns(`${SDE_CART_STATUS.rowPath}.products[]`, false),
);
const SDE_PURCHASE_PRODUCTS = grandchildTable(
  "sde_purchase_products",
  `${PRODUCTS_DESC} a purchase's cart`,
  "sde_purchase",
  SDE_PURCHASE.rowPath,
  "cart.products",
  productColumns(`${SDE_PURCHASE.rowPath}.cart.products[]`, false),
);
const SDE_VIEWED_PRODUCT_PRODUCTS = grandchildTable(
  "sde_viewed_product_products",
  `${PRODUCTS_DESC} a viewed-product event`,
  "sde_viewed_product",
  SDE_VIEWED_PRODUCT.rowPath,
  "products",
  productColumns(`${SDE_VIEWED_PRODUCT.rowPath}.products[]`, true),
);
const CONTACTS = `${SDE_PERSONAL_INFO.rowPath}.${W_PERSONAL}.contacts[]`;
const SDE_PERSONAL_INFO_CONTACTS = grandchildTable(
  "sde_personal_info_contacts",
  "One row per contact of a personal info event",
  "sde_personal_info",
  SDE_PERSONAL_INFO.rowPath,
  `${W_PERSONAL}.contacts`,
  [
    field(CONTACTS, "personalContact.email", "string", "E-mail address", { name: "email" }),
    field(CONTACTS, "personalContact.phone", "string", "Phone number", { name: "phone" }),
    field(CONTACTS, "personalContact.address.country", "string", "Country", {
      name: "address_country",
    }),
    field(CONTACTS, "personalContact.address.region", "string", "Region", {
      name: "address_region",
    }),
    field(CONTACTS, "personalContact.address.zipCode", "string", "ZIP code", {
      name: "address_zipCode",
    }),
  ],
);
const SDE_SEARCH_CONTENT_KEYWORDS = grandchildTable(
  "sde_search_content_keywords",
  "One row per keyword of a search content event",
  "sde_search_content",
  SDE_SEARCH_CONTENT.rowPath,
  "keywords",
  [field(`${SDE_SEARCH_CONTENT.rowPath}.keywords[]`, "", "string", "Keyword", { name: "keyword" })],
);

/**
 * Every table built from Engagement History records, parents before children.
 *
 * @example
 * ```ts
 * import { ENGAGEMENT_HISTORY_TABLES } from "./model.ts";
 * import assert from "node:assert/strict";
 * const interaction = ENGAGEMENT_HISTORY_TABLES[0]!;
 * assert.equal(interaction.name, "interaction");
 * assert.deepEqual(interaction.primaryKey, ["engagementId"]);
 * assert.ok(ENGAGEMENT_HISTORY_TABLES.some((table) => table.name === "surveys_postchat"));
 * ```
 */
export const ENGAGEMENT_HISTORY_TABLES: readonly TableModel[] = Object.freeze([
  INTERACTION,
  TRANSCRIPT_LINES,
  LINE_SCORES,
  surveyTable("surveys_prechat", "preChat", "pre-chat"),
  surveyTable("surveys_postchat", "postChat", "post-chat"),
  surveyTable("surveys_operator", "operator", "operator (agent)"),
  COBROWSE_SESSIONS,
  SDE_CUSTOMER_INFO,
  SDE_PERSONAL_INFO,
  SDE_PERSONAL_INFO_CONTACTS,
  SDE_MARKETING,
  SDE_CART_STATUS,
  SDE_CART_STATUS_PRODUCTS,
  SDE_PURCHASE,
  SDE_PURCHASE_PRODUCTS,
  SDE_VIEWED_PRODUCT,
  SDE_VIEWED_PRODUCT_PRODUCTS,
  SDE_LEAD,
  SDE_SERVICE_ACTIVITY,
  SDE_VISITOR_ERROR,
  SDE_SEARCH_CONTENT,
  SDE_SEARCH_CONTENT_KEYWORDS,
  SDE_OTHER,
]);

/**
 * Finds a table of a model by name.
 *
 * @param name table name
 * @param tables the model; default the Engagement History tables
 * @returns the table
 * @throws {RangeError} for an unknown name
 *
 * @example
 * ```ts
 * import { tableByName } from "./model.ts";
 * import assert from "node:assert/strict";
 * assert.equal(tableByName("transcript_lines").primaryKey.length, 2);
 * ```
 */
export function tableByName(
  name: string,
  tables: readonly TableModel[] = ENGAGEMENT_HISTORY_TABLES,
): TableModel {
  const table = tables.find((candidate) => candidate.name === name);
  if (!table) throw new RangeError(`No table named "${name}" in the model`);
  return table;
}
