/**
 * Shared fixtures of the Messaging Interactions simulator tests: one week of
 * 300 conversations, and small readers for untyped records.
 */

import { conversationAt } from "../../lib/sources/messaging/simulator/dataset.ts";
import type { DatasetOptions } from "../../lib/simulator/dataset_options.ts";

/** A record or node, untyped. */
export type Json = Record<string, unknown>;

/** One week of 300 conversations. */
export const WEEK: DatasetOptions = Object.freeze({
  count: 300,
  from: Date.UTC(2024, 0, 1),
  to: Date.UTC(2024, 0, 8),
  seed: 7,
});

/** The final form of every conversation of {@linkcode WEEK}. */
export const RECORDS: readonly Json[] = Array.from(
  { length: WEEK.count },
  (_, index) => conversationAt(WEEK, index),
);

/** The `info` node of a record. */
export function info(record: Json): Json {
  return record.info as Json;
}

/** A value as a list of nodes; empty when it is not an array. */
export function list(value: unknown): Json[] {
  return Array.isArray(value) ? value as Json[] : [];
}

/** The value at a path of keys, or undefined. */
export function path(record: Json, ...keys: string[]): unknown {
  return keys.reduce<unknown>((node, key) => (node as Json | undefined)?.[key], record);
}

/** How many records of {@linkcode RECORDS} pass a test. */
export function count(test: (record: Json) => boolean): number {
  return RECORDS.filter(test).length;
}

/** Every string inside a value. */
export function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) value.forEach((item) => strings(item, out));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => strings(v, out));
  return out;
}
