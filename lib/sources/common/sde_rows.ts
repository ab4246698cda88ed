/**
 * SDE events (engagement attributes) as rows: Engagement History and
 * Messaging Interactions keep them alike, as a list of events each holding
 * one payload under its type key (`{"cartStatus": {...}, "sdeType": ...}`).
 *
 * An event table selects the events of its type and reads them as one row
 * object: the payload's fields, the event-level fields under `$event` (their
 * path in the record is the event itself), and the type key that was used
 * under `$typeKey`. Payloads LivePerson documents with a repeated wrapper
 * (`personalInfo.personalInfo`) are read nested or flat.
 *
 * @module
 */

import { isJsonObject } from "../../tables/json_text.ts";
import type { RowSelector } from "../../tables/schema.ts";

/** Key of the row object that holds an event's own fields. */
export const EVENT_FIELDS = "$event";
/** Key of the row object that holds the type key the event used. */
export const TYPE_KEY = "$typeKey";

/** Fields of a payload that stay beside its wrapper object, not inside it. */
const PAYLOAD_LEVEL = new Set(["serverTimeStamp", "originalTimeStamp", "isAuthenticated"]);

function plainRecord(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

/** Puts a flat payload (`personalInfo: {name, …}`) into the documented wrapper shape. */
function wrapPayload(payload: Record<string, unknown>, wrapper: string): Record<string, unknown> {
  if (isJsonObject(payload[wrapper])) return payload;
  const outer = plainRecord();
  const inner = plainRecord();
  for (const [key, value] of Object.entries(payload)) {
    if (PAYLOAD_LEVEL.has(key) || key === wrapper) outer[key] = value;
    else inner[key] = value;
  }
  if (Object.keys(inner).length > 0) {
    if (outer[wrapper] !== undefined && outer[wrapper] !== null) {
      // A scalar where the wrapper object belongs: keep it beside, as an unknown field.
      outer[`${wrapper}$value`] = outer[wrapper];
    }
    outer[wrapper] = inner;
  }
  return outer;
}

/** Options of {@linkcode sdeEventSelector}. */
export interface SdeEventOptions {
  /** Type keys of the event, the documented one first (`viewedProduct`, then `viewProduct`). */
  readonly typeKeys: readonly string[];
  /** Inner object that repeats the type key (`customerInfo.customerInfo`). */
  readonly wrapper?: string;
}

/**
 * A selector for the events of one SDE type.
 *
 * @param options the type's keys and wrapper
 * @returns the row selector
 *
 * @example
 * ```ts
 * import { sdeEventSelector } from "./sde_rows.ts";
 * import assert from "node:assert/strict";
 * const select = sdeEventSelector({ typeKeys: ["lead"], wrapper: "lead" });
 * const row = select({ lead: { topic: "x" }, sdeType: "LEAD" }) as Record<string, unknown>;
 * assert.equal((row.lead as { topic: string }).topic, "x");
 * assert.deepEqual([row.$typeKey, (row.$event as { sdeType: string }).sdeType], ["lead", "LEAD"]);
 * assert.equal(select({ purchase: {} }), undefined);
 * ```
 */
export function sdeEventSelector(options: SdeEventOptions): RowSelector {
  return (event) => {
    if (!isJsonObject(event)) return undefined;
    const typeKey = options.typeKeys.find((key) => Object.hasOwn(event, key));
    if (typeKey === undefined) return undefined;
    const payload = event[typeKey];
    const row = plainRecord();
    const eventLevel = plainRecord();
    for (const [key, value] of Object.entries(event)) if (key !== typeKey) eventLevel[key] = value;
    if (isJsonObject(payload)) {
      Object.assign(row, options.wrapper ? wrapPayload(payload, options.wrapper) : payload);
    } else if (payload !== null) {
      // Not an object where the payload belongs: kept as an unknown field of the event.
      eventLevel[typeKey] = payload;
    }
    row[EVENT_FIELDS] = eventLevel;
    row[TYPE_KEY] = typeKey;
    return row;
  };
}
