/**
 * A LivePerson-compatible Engagement History server on 127.0.0.1.
 *
 * It answers the Domain API (`baseURI.json`) and the Engagement History search
 * endpoint over a synthetic dataset, checks OAuth 1.0a signatures, enforces the
 * documented limits (limit ≤ 100, source ≤ 20 characters, 31-day windows,
 * 10-minute rounding) and can inject the failures clients must survive: 429
 * with Retry-After, 500/503, dropped connections, partial and slow pages.
 *
 * A search request is handled in this order: latency and slow delays; a 429,
 * 5xx or drop fault (answered before any check, as a front-end rate limiter or
 * a failing node would); the OAuth signature (401); the account in the path
 * (403); the query and body (400); then the page, with records missing if the
 * fault is `"partial"`. Filters other than `start` and `engagementId` are
 * accepted and ignored.
 *
 * @module
 */

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Credentials } from "../credentials.ts";
import { DEMO_CREDENTIALS } from "./demo_credentials.ts";
import {
  type DatasetOptions,
  type EngagementRecord,
  engagementsIn,
  indexRange,
} from "./dataset.ts";
import { createFaultPicker, type FaultKind, type FaultOptions, validateFaults } from "./faults.ts";
import { verifyOAuthRequest } from "./oauth_verify.ts";
import { parseSearchRequest, type SearchPage, searchPage, SearchRequestError } from "./search.ts";

export { DEMO_CREDENTIALS } from "./demo_credentials.ts";
export type { FaultKind, FaultOptions } from "./faults.ts";

/** Options of {@linkcode startSimulator}. */
export interface SimulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free port. */
  port?: number;
  /** The dataset served. */
  dataset: DatasetOptions;
  /** The API key the server accepts; default {@linkcode DEMO_CREDENTIALS}. */
  credentials?: Credentials;
  /** Injected failures; default none. */
  faults?: FaultOptions;
  /**
   * How many 200 response bodies to keep in {@linkcode Simulator.bodies}
   * (the most recent ones); default 0, so large runs hold nothing.
   */
  keepBodies?: number;
  /** Called once each search request is answered (or dropped), with its log entry. */
  onSearch?: (entry: SearchLogEntry) => void;
}

/** One search request as the server saw it. */
export interface SearchLogEntry {
  /** `offset` query parameter (NaN when it was not a number). */
  offset: number;
  /** `limit` query parameter (NaN when it was not a number). */
  limit: number;
  /** `start.from` of the body as sent, before rounding (NaN when missing or invalid). */
  from: number;
  /** `start.to` of the body as sent, before rounding (NaN when missing or invalid). */
  to: number;
  /** HTTP status answered; 0 for a dropped connection or a request still in progress. */
  status: number;
  /** The fault the request met. */
  fault: FaultKind;
  /** When the request arrived (`Date.now()`). */
  at: number;
  /** Hex SHA-256 of the exact 200 response body. */
  sha256?: string;
  /** Number of records in a 200 response. */
  records?: number;
}

/** A running simulator. */
export interface Simulator {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** `127.0.0.1:PORT`, what the Domain API returns as `baseURI`. */
  host: string;
  /** Every search request received, faulted ones included, in arrival order. */
  searches: SearchLogEntry[];
  /**
   * Exact bytes of recent 200 search responses, keyed `${from}:${to}:${offset}`
   * (from/to as the request sent them); holds at most `keepBodies` entries.
   */
  bodies: Map<string, Uint8Array>;
  /** Replaces the fault options (and restarts the fault script and stream). */
  setFaults(faults: FaultOptions): void;
  /** The records whose `info.startTimeL` is in `[from, to)`, in start order. */
  recordsIn(from: number, to: number): EngagementRecord[];
  /** Stops the server, closing open connections and pending delays. */
  close(): Promise<void>;
}

const DOMAIN_ROUTE = /^\/api\/account\/([^/]+)\/service\/([^/]+)\/baseURI\.json$/;
const SEARCH_ROUTE = /^\/interaction_history\/api\/account\/([^/]+)\/interactions\/search$/;

function readBody(request: IncomingMessage): Promise<string> {
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

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Uint8Array {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  response.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": String(bytes.length),
    ...headers,
  });
  response.end(bytes);
  return bytes;
}

function sendError(response: ServerResponse, status: number, error: string, message: string): void {
  sendJson(response, status, { error, message });
}

function numberOrNaN(text: string | null): number {
  return text !== null && /^-?\d+$/.test(text) ? Number(text) : NaN;
}

function bodyRange(body: string): { from: number; to: number } {
  try {
    const start = (JSON.parse(body) as { start?: { from?: unknown; to?: unknown } }).start;
    const toNumber = (value: unknown) =>
      typeof value === "number"
        ? value
        : typeof value === "string"
        ? numberOrNaN(value.trim())
        : NaN;
    return { from: toNumber(start?.from), to: toNumber(start?.to) };
  } catch {
    return { from: NaN, to: NaN };
  }
}

/**
 * Starts a simulator on 127.0.0.1.
 *
 * @param options port, dataset, accepted credentials, faults
 * @returns the running simulator; call `close()` when done
 * @throws {RangeError} if the dataset or fault options are invalid
 *
 * @example
 * ```ts
 * import { DEMO_CREDENTIALS, startSimulator } from "./server.ts";
 * import assert from "node:assert/strict";
 * const simulator = await startSimulator({
 *   dataset: { count: 10, from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 0, 2) },
 * });
 * const response = await fetch(
 *   `${simulator.url}/api/account/${DEMO_CREDENTIALS.accountId}/service/engHistDomain/baseURI.json?version=1.0`,
 * );
 * assert.equal((await response.json()).baseURI, simulator.host);
 * await simulator.close();
 * ```
 */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const dataset = options.dataset;
  indexRange(dataset, dataset.from, dataset.from); // validates the dataset options
  const credentials = options.credentials ?? DEMO_CREDENTIALS;
  const keepBodies = options.keepBodies ?? 0;
  if (!Number.isInteger(keepBodies) || keepBodies < 0) {
    throw new RangeError(`Invalid keepBodies ${keepBodies}: use a whole number of 0 or more`);
  }
  let faults: FaultOptions = options.faults ?? {};
  let picker = createFaultPicker(faults);
  let dropCount = 0;
  let closed = false;
  const pendingDelays = new Set<() => void>();
  const searches: SearchLogEntry[] = [];
  const bodies = new Map<string, Uint8Array>();

  function delay(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        pendingDelays.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      pendingDelays.add(finish);
    });
  }

  function keepBody(key: string, bytes: Uint8Array): void {
    if (keepBodies <= 0) return;
    bodies.delete(key);
    bodies.set(key, bytes);
    while (bodies.size > keepBodies) {
      const oldest = bodies.keys().next().value;
      if (oldest === undefined) break;
      bodies.delete(oldest);
    }
  }

  async function handleSearch(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    accountId: string,
  ): Promise<void> {
    const body = await readBody(request);
    const range = bodyRange(body);
    const entry: SearchLogEntry = {
      offset: url.searchParams.has("offset") ? numberOrNaN(url.searchParams.get("offset")) : 0,
      limit: url.searchParams.has("limit") ? numberOrNaN(url.searchParams.get("limit")) : 50,
      from: range.from,
      to: range.to,
      status: 0,
      fault: picker.next(),
      at: Date.now(),
    };
    searches.push(entry);
    if (options.onSearch) {
      const report = options.onSearch;
      response.once("close", () => report(entry));
    }
    await delay(faults.latencyMs ?? 0);
    if (entry.fault === "slow") await delay(faults.slowMs ?? 5000);
    if (closed || response.destroyed) {
      request.socket.destroy();
      return;
    }
    const fail = (status: number, error: string, message: string) => {
      entry.status = status;
      sendError(response, status, error, message);
    };
    switch (entry.fault) {
      case "429": {
        const seconds = faults.retryAfterSeconds ?? 1;
        entry.status = 429;
        sendJson(response, 429, {
          error: "Too Many Requests",
          message: `Rate limit exceeded: retry after ${seconds} seconds`,
        }, { "Retry-After": String(seconds) });
        return;
      }
      case "500":
        return fail(500, "Internal Server Error", "Simulated server error: retry later");
      case "503":
        return fail(503, "Service Unavailable", "Simulated outage: retry later");
      case "drop":
        dropCount++;
        if (dropCount % 2 === 0) {
          // Dropped mid-body: headers promise more bytes than arrive.
          response.writeHead(200, { "Content-Type": "application/json", "Content-Length": "4096" });
          response.write('{"_metadata":{"count":', () => request.socket.destroy());
        } else {
          request.socket.destroy();
        }
        return;
    }
    const verdict = verifyOAuthRequest({
      method: request.method ?? "POST",
      url: url.href,
      authorization: request.headers.authorization,
    }, credentials);
    if (!verdict.ok) return fail(401, "Unauthorized", verdict.reason);
    if (accountId !== credentials.accountId) {
      return fail(
        403,
        "Forbidden",
        `This API key does not belong to account ${accountId}: use its own account id`,
      );
    }
    let page: SearchPage;
    try {
      const parsed = parseSearchRequest(url.searchParams, body);
      page = searchPage(dataset, parsed, `${url.origin}${url.pathname}`);
    } catch (error) {
      if (error instanceof SearchRequestError) return fail(400, "Bad Request", error.message);
      throw error;
    }
    if (entry.fault === "partial") {
      // Some shards failed: every other record of the page is missing.
      page = {
        _metadata: { ...page._metadata, shardsStatusResult: { partialResult: true } },
        interactionHistoryRecords: page.interactionHistoryRecords.filter((_, index) =>
          index % 2 === 0
        ),
      };
    }
    entry.status = 200;
    const bytes = sendJson(response, 200, page);
    entry.sha256 = createHash("sha256").update(bytes).digest("hex");
    entry.records = page.interactionHistoryRecords.length;
    keepBody(`${entry.from}:${entry.to}:${entry.offset}`, bytes);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", `http://${request.headers.host ?? host}`);
    const domain = DOMAIN_ROUTE.exec(url.pathname);
    if (domain) {
      await readBody(request);
      const [, account = "", service = ""] = domain.map(decodeURIComponent);
      if (request.method !== "GET") {
        return sendError(response, 405, "Method Not Allowed", "Use GET");
      }
      if (account !== credentials.accountId) {
        return sendError(
          response,
          401,
          "Unauthorized",
          `Unknown account ${account}: check LP_ACCOUNT_ID`,
        );
      }
      sendJson(response, 200, { service, account, baseURI: host });
      return;
    }
    const search = SEARCH_ROUTE.exec(url.pathname);
    if (search) {
      if (request.method !== "POST") {
        await readBody(request);
        return sendError(
          response,
          405,
          "Method Not Allowed",
          "The search endpoint takes POST with a JSON body",
        );
      }
      return handleSearch(request, response, url, decodeURIComponent(search[1] ?? ""));
    }
    await readBody(request);
    sendError(response, 404, "Not Found", `No route for ${request.method} ${url.pathname}`);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        request.socket.destroy();
        return;
      }
      sendError(response, 500, "Internal Server Error", `Simulator error: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = `127.0.0.1:${port}`;

  return {
    url: `http://${host}`,
    host,
    searches,
    bodies,
    setFaults(next: FaultOptions): void {
      validateFaults(next);
      faults = next;
      picker = createFaultPicker(next);
    },
    recordsIn(from: number, to: number): EngagementRecord[] {
      const low = Math.max(from, dataset.from);
      const high = Math.min(to, dataset.to);
      return high > low ? engagementsIn(dataset, low, high) : [];
    },
    close(): Promise<void> {
      closed = true;
      for (const finish of [...pendingDelays]) finish();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
