/**
 * How the simulator server reads requests and writes answers: bodies, JSON
 * answers and errors, the gap faults applied to a page, and the answers it
 * remembers for benchmarks.
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import type { FaultKind } from "./faults.ts";
import type { SimulatedAnswer } from "./simulated_api.ts";

/**
 * Reads a request's whole body as text.
 *
 * @param request the request
 * @returns the body
 */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    request.on("data", (chunk: Uint8Array) => chunks.push(chunk));
    request.on("end", () => resolve(new TextDecoder().decode(concat(chunks))));
    request.on("error", reject);
  });
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/**
 * Answers with a JSON body.
 *
 * @param response the response
 * @param status the HTTP status
 * @param body the value to send as JSON
 * @param headers more headers
 * @returns the bytes sent
 */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Uint8Array {
  return sendBytes(response, status, new TextEncoder().encode(JSON.stringify(body)), headers);
}

/**
 * Answers with JSON bytes already encoded.
 *
 * @param response the response
 * @param status the HTTP status
 * @param bytes the body
 * @param headers more headers
 * @returns the bytes sent
 */
export function sendBytes(
  response: ServerResponse,
  status: number,
  bytes: Uint8Array,
  headers: Record<string, string> = {},
): Uint8Array {
  response.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": String(bytes.length),
    ...headers,
  });
  response.end(bytes);
  return bytes;
}

/** An answer remembered by `cacheAnswers`, with its whole page's bytes once sent. */
export interface RememberedAnswer {
  readonly answer?: SimulatedAnswer;
  readonly bytes?: Uint8Array;
  readonly sha256?: string;
}

/**
 * Answers with an error body `{error, message}`.
 *
 * @param response the response
 * @param status the HTTP status
 * @param error the status's name
 * @param message what went wrong and what to do
 */
export function sendError(
  response: ServerResponse,
  status: number,
  error: string,
  message: string,
): void {
  sendJson(response, status, { error, message });
}

/**
 * Applies a fault that answers 200 with a gap: records missing (flagged
 * partial or not), no records array, or a count far above what is sent.
 *
 * @param body the whole page
 * @param recordsField the field that holds its records
 * @param fault the fault drawn for the request
 * @returns the page to send: `body` itself unless the fault makes a gap
 *
 * @example
 * ```ts
 * import { withGapFault } from "./responses.ts";
 * import assert from "node:assert/strict";
 * const page = { _metadata: { count: 4 }, records: [1, 2, 3, 4] };
 * assert.equal(withGapFault(page, "records", "ok"), page);
 * assert.deepEqual(withGapFault(page, "records", "partial").records, [1, 3]);
 * ```
 */
export function withGapFault(
  body: Record<string, unknown>,
  recordsField: string,
  fault: FaultKind,
): Record<string, unknown> {
  const records = Array.isArray(body[recordsField]) ? body[recordsField] as unknown[] : [];
  const metadata = (body._metadata ?? {}) as Record<string, unknown>;
  switch (fault) {
    case "partial":
      // Some shards failed: every other record of the page is missing.
      return {
        _metadata: { ...metadata, shardsStatusResult: { partialResult: true } },
        [recordsField]: records.filter((_, index) => index % 2 === 0),
      };
    case "short":
      return { ...body, [recordsField]: records.slice(0, Math.floor(records.length * 0.6)) };
    case "no-records":
      return { _metadata: metadata };
    case "absurd-count":
      return { _metadata: { ...metadata, count: 1e9 }, [recordsField]: [] };
    default:
      return body;
  }
}
