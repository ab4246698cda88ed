/**
 * What an answer holds: `info` and the nodes `contentToRetrieve` asks for
 * (the defaults when it is absent), with SDE values as the API version
 * writes them (`v=1` text, `v=2` typed; `unAuthSdes` only with `v=2`).
 *
 * @module
 */

import { sdeEventsAsText } from "./nodes_sdes.ts";
import {
  type ApiVersion,
  CONTENT_NODE,
  type ContentType,
  DEFAULT_API_VERSION,
  DEFAULT_CONTENT,
  V2_ONLY_CONTENT,
} from "./rules.ts";

type Json = Record<string, unknown>;

/** How a request shapes its answer. */
export interface ContentRequest {
  /** `contentToRetrieve` as sent; undefined for the defaults. */
  readonly content?: readonly ContentType[];
  /** The `v` parameter; default "1". */
  readonly v?: ApiVersion;
}

/**
 * The record nodes an answer holds besides `info`.
 *
 * @param request the content types and version
 * @returns node names
 *
 * @example
 * ```ts
 * import { nodesFor } from "./content.ts";
 * import assert from "node:assert/strict";
 * assert.ok(nodesFor({}).has("messageRecords"));
 * assert.ok(!nodesFor({}).has("dialogs"));
 * assert.ok(!nodesFor({ content: ["unAuthSdes"], v: "1" }).has("unAuthSdes"));
 * assert.ok(nodesFor({ content: ["unAuthSdes"], v: "2" }).has("unAuthSdes"));
 * ```
 */
export function nodesFor(request: ContentRequest): Set<string> {
  const v = request.v ?? DEFAULT_API_VERSION;
  const nodes = new Set<string>();
  for (const type of request.content ?? DEFAULT_CONTENT) {
    if (v !== "2" && V2_ONLY_CONTENT.includes(type)) continue;
    nodes.add(CONTENT_NODE[type]);
  }
  return nodes;
}

/**
 * Shapes a record for an answer: `info` always, then the asked-for nodes the
 * record has, in the record's order; SDE values as text for `v=1`.
 *
 * @param record a complete record (typed SDEs)
 * @param request the content types and version
 * @returns a new top-level object; nodes are shared with `record` except SDEs turned to text
 *
 * @example
 * ```ts
 * import { selectContent } from "./content.ts";
 * import assert from "node:assert/strict";
 * const record = { info: {}, dialogs: [], sdes: { events: [{ lead: { lead: { value: 5 } } }] } };
 * assert.deepEqual(Object.keys(selectContent(record, {})), ["info", "sdes"]);
 * const sdes = selectContent(record, {}).sdes as { events: { lead: { lead: { value: unknown } } }[] };
 * assert.equal(sdes.events[0]!.lead.lead.value, "5");
 * ```
 */
export function selectContent(record: Json, request: ContentRequest): Json {
  const nodes = nodesFor(request);
  const answer: Json = { info: record.info };
  for (const [key, value] of Object.entries(record)) {
    if (key !== "info" && nodes.has(key)) answer[key] = value;
  }
  const sdes = answer.sdes as Json | undefined;
  if ((request.v ?? DEFAULT_API_VERSION) === "1" && sdes && Array.isArray(sdes.events)) {
    answer.sdes = { ...sdes, events: sdeEventsAsText(sdes.events as Json[]) };
  }
  return answer;
}
