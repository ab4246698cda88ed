/**
 * Reading a history API request as LivePerson does, for any simulated API:
 * the paging query (`source`, `limit`, `offset`), epoch times in the JSON
 * body, and the body itself. Each reader throws a
 * {@linkcode SimulatedRequestError} whose message says what was wrong and how
 * to fix it; {@linkcode requestFacts}, for the log of searches, never throws.
 *
 * @module
 */

import { type RequestFacts, SimulatedRequestError } from "./simulated_api.ts";

type Json = Record<string, unknown>;

/** The paging query every endpoint takes. */
export interface PagingParams {
  /** The caller's app name. */
  readonly source: string;
  readonly limit: number;
  readonly offset: number;
}

/** An API's limits on the paging query. */
export interface PagingRules {
  /** `limit` when the request has none. */
  readonly defaultLimit: number;
  /** Largest `limit` the API accepts. */
  readonly maxLimit: number;
  /** Longest `source` the API accepts. */
  readonly maxSourceLength: number;
}

/**
 * Reads a whole-number query parameter.
 *
 * @param params the URL's query parameters
 * @param name the parameter
 * @param fallback its value when the request has none
 * @returns the number
 * @throws {SimulatedRequestError} when it is not a whole number
 *
 * @example
 * ```ts
 * import { integerParam } from "./request_params.ts";
 * import assert from "node:assert/strict";
 * assert.equal(integerParam(new URLSearchParams("limit=20"), "limit", 50), 20);
 * assert.equal(integerParam(new URLSearchParams(""), "limit", 50), 50);
 * assert.throws(() => integerParam(new URLSearchParams("limit=1e2"), "limit", 50), /whole number/);
 * ```
 */
export function integerParam(params: URLSearchParams, name: string, fallback: number): number {
  const raw = params.get(name);
  if (raw === null) return fallback;
  if (!/^-?\d+$/.test(raw)) {
    throw new SimulatedRequestError(`Invalid ${name} "${raw}": use a whole number`);
  }
  return Number(raw);
}

/**
 * Reads and checks `source`, `limit` and `offset`, in that order.
 *
 * @param params the URL's query parameters
 * @param rules the API's default and largest `limit` and longest `source`
 * @returns the paging query
 * @throws {SimulatedRequestError} naming the parameter to fix
 *
 * @example
 * ```ts
 * import { pagingParams } from "./request_params.ts";
 * import assert from "node:assert/strict";
 * const rules = { defaultLimit: 50, maxLimit: 100, maxSourceLength: 20 };
 * assert.deepEqual(pagingParams(new URLSearchParams("source=demo&offset=100"), rules), {
 *   source: "demo",
 *   limit: 50,
 *   offset: 100,
 * });
 * assert.throws(() => pagingParams(new URLSearchParams("source=demo&limit=101"), rules), /limit/);
 * ```
 */
export function pagingParams(params: URLSearchParams, rules: PagingRules): PagingParams {
  const source = params.get("source");
  if (source === null || source === "") {
    throw new SimulatedRequestError(
      `Missing source query parameter: send source=<app name, at most ${rules.maxSourceLength} characters>`,
    );
  }
  if (source.length > rules.maxSourceLength) {
    throw new SimulatedRequestError(
      `source "${source}" is ${source.length} characters long: use at most ${rules.maxSourceLength}`,
    );
  }
  const limit = integerParam(params, "limit", rules.defaultLimit);
  if (limit < 1 || limit > rules.maxLimit) {
    throw new SimulatedRequestError(
      `Invalid limit ${limit}: use 1 to ${rules.maxLimit} and page with offset`,
    );
  }
  const offset = integerParam(params, "offset", 0);
  if (offset < 0) throw new SimulatedRequestError(`Invalid offset ${offset}: use 0 or more`);
  return { source, limit, offset };
}

/**
 * Parses a request body that must be a JSON object.
 *
 * @param body the request body as text
 * @param expected an `example` of a valid body and, if it says more, the `shape` a body must have
 * @returns the object
 * @throws {SimulatedRequestError} for text that is not JSON, or JSON that is not an object
 *
 * @example
 * ```ts
 * import { jsonObjectBody } from "./request_params.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(jsonObjectBody('{"a":1}', { example: '{"a":1}' }), { a: 1 });
 * assert.throws(() => jsonObjectBody("[]", { example: '{"a":1}' }), /such as \{"a":1\}/);
 * ```
 */
export function jsonObjectBody(
  body: string,
  expected: { readonly example: string; readonly shape?: string },
): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new SimulatedRequestError(
      `The body is not valid JSON: send a JSON object such as ${expected.example}`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new SimulatedRequestError(
      `The body must be a JSON object ${expected.shape ?? `such as ${expected.example}`}`,
    );
  }
  return parsed as Json;
}

/**
 * Reads epoch milliseconds from a body field, sent as a number or as digits.
 *
 * @param value the field's value
 * @param name the field's path, for the message (`start.from`)
 * @param example a valid body, for the message
 * @returns the time
 * @throws {SimulatedRequestError} when it is missing or not a safe integer
 *
 * @example
 * ```ts
 * import { epochMillis } from "./request_params.ts";
 * import assert from "node:assert/strict";
 * assert.equal(epochMillis(" 1700000000000 ", "start.from", "{}"), 1_700_000_000_000);
 * assert.throws(() => epochMillis(undefined, "start.from", "{}"), /start\.from/);
 * ```
 */
export function epochMillis(value: unknown, name: string, example: string): number {
  const number = numberOrNaN(value);
  if (!Number.isSafeInteger(number)) {
    throw new SimulatedRequestError(
      `Missing or invalid ${name} in the body: send epoch milliseconds, e.g. ${example}`,
    );
  }
  return number;
}

/** A number sent as a number or as digits (surrounding space allowed), else NaN. */
function numberOrNaN(value: unknown): number {
  if (typeof value === "number") return value;
  return typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
}

/** A whole-number query parameter as sent: `fallback` when absent, NaN when not a whole number. */
function queryNumberOrNaN(params: URLSearchParams, name: string, fallback: number): number {
  const raw = params.get(name);
  return raw === null ? fallback : /^-?\d+$/.test(raw) ? Number(raw) : NaN;
}

/** The parsed body when it is a JSON object (or array), else an empty object. */
function bodyFieldsOrNone(body: string): Json {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === "object") return parsed as Json;
  } catch {
    // The log records what it can; the answer reports the bad body.
  }
  return {};
}

/**
 * What the log of searches records of a request, read from it as sent and
 * never throwing: a value that cannot be read is NaN (or, for the id, left
 * out), and the answer says what is wrong.
 *
 * @param request the query and the body as text
 * @param options the API's `defaultLimit`, and the body field that names the record asked for by key, if any
 * @returns offset, limit, the `start` range and the id
 *
 * @example
 * ```ts
 * import { requestFacts } from "./request_params.ts";
 * import assert from "node:assert/strict";
 * const request = { params: new URLSearchParams("offset=x"), body: '{"start":{"from":" 5 "},"id":"a"}' };
 * assert.deepEqual(requestFacts(request, { defaultLimit: 50, idField: "id" }), {
 *   offset: NaN,
 *   limit: 50,
 *   from: 5,
 *   to: NaN,
 *   id: "a",
 * });
 * ```
 */
export function requestFacts(
  request: { readonly params: URLSearchParams; readonly body: string },
  options: { readonly defaultLimit: number; readonly idField?: string },
): RequestFacts {
  const body = bodyFieldsOrNone(request.body);
  const start = (body.start ?? {}) as Json;
  const id = options.idField === undefined ? undefined : body[options.idField];
  const updatedSince = ((body.latestUpdateTime ?? {}) as Json).from;
  return {
    offset: queryNumberOrNaN(request.params, "offset", 0),
    limit: queryNumberOrNaN(request.params, "limit", options.defaultLimit),
    from: numberOrNaN(start.from),
    to: numberOrNaN(start.to),
    ...(typeof id === "string" ? { id } : {}),
    ...(typeof updatedSince === "number" ? { updatedSince } : {}),
  };
}
