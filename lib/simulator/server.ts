/**
 * A LivePerson-compatible server on 127.0.0.1 for every simulated history API.
 *
 * It answers the Domain API (`baseURI.json`) for the services of the APIs it
 * serves and their endpoints, over each API's synthetic dataset; it checks
 * OAuth 1.0a signatures with a verifier of its own and can inject the
 * failures clients must survive: 429 with Retry-After (at random, or beyond a
 * cap on concurrent requests), 500/503, dropped connections, slow pages, and
 * 200 answers with a gap (partial, short, no records array, an absurd count).
 * Each API enforces its own documented limits (lib/sources/<source>/simulator/).
 *
 * A request to an endpoint is handled in this order: a 429 at once if more
 * requests are in progress than the cap allows; latency and slow delays; a
 * 429, 5xx or drop fault (answered before any check, as a front-end rate
 * limiter or a failing node would); the OAuth signature (401); the account in
 * the path (403); the API's own checks of query and body (400); then the
 * answer, with the gap fault applied.
 *
 * @module
 */

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createHash } from "node:crypto";
import {
  readBody,
  type RememberedAnswer,
  sendBytes,
  sendError,
  sendJson,
  withGapFault,
} from "./responses.ts";
import type { AddressInfo } from "node:net";
import { type ApiKey, DEMO_CREDENTIALS } from "./demo_credentials.ts";
import { type DatasetOptions, resolveDataset } from "./dataset_options.ts";
import { createFaultPicker, type FaultKind, type FaultOptions, validateFaults } from "./faults.ts";
import { verifyOAuthRequest } from "./oauth_verify.ts";
import {
  type RequestFacts,
  type SimulatedAnswer,
  type SimulatedApi,
  SimulatedRequestError,
} from "./simulated_api.ts";

export { DEMO_CREDENTIALS } from "./demo_credentials.ts";
export type { FaultKind, FaultOptions } from "./faults.ts";

/** One API the simulator serves, with its dataset. */
export interface ServedApi {
  readonly api: SimulatedApi;
  readonly dataset: DatasetOptions;
}

/** Options of {@linkcode startSimulator}. */
export interface SimulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free port. */
  port?: number;
  /** The APIs served, each over its dataset. */
  serve: readonly ServedApi[];
  /** The API key the server accepts; default {@linkcode DEMO_CREDENTIALS}. */
  credentials?: ApiKey;
  /** Injected failures; default none. */
  faults?: FaultOptions;
  /**
   * How many 200 response bodies to keep in {@linkcode Simulator.bodies}
   * (the most recent ones); default 0, so large runs hold nothing.
   */
  keepBodies?: number;
  /** Called when a request to an endpoint arrives, before any delay, with its log entry. */
  onRequest?: (entry: SearchLogEntry) => void;
  /** Called once each request to an endpoint is answered (or dropped), with its log entry. */
  onSearch?: (entry: SearchLogEntry) => void;
  /** Waits `ms` for latency and slow faults; default a real timer (tests observe the waits). */
  sleep?: (ms: number) => Promise<void>;
  /**
   * The simulator's time in epoch ms, which decides which records have
   * appeared, ended or been completed; default the real time. Tests move it.
   */
  clock?: () => number;
  /**
   * Remember each answer by its request and the clock's value, so that a
   * request asked again costs no page building: for benchmarks that measure a
   * client rather than the simulator (with a fixed clock). Default off.
   */
  cacheAnswers?: boolean;
}

/** One request to an endpoint, as the server saw it. */
export interface SearchLogEntry extends RequestFacts {
  /** The API it went to. */
  api: string;
  /** The endpoint, as the API names it (`search`, `byId` …). */
  endpoint: string;
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
  /** Answered 429 because more than `maxConcurrent` searches were in progress. */
  overCap?: boolean;
}

/** A running simulator. */
export interface Simulator {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** `127.0.0.1:PORT`, what the Domain API returns as `baseURI`. */
  host: string;
  /** Every request to an endpoint, faulted ones included, in arrival order. */
  searches: SearchLogEntry[];
  /**
   * Exact bytes of recent 200 answers, keyed `${from}:${to}:${offset}` (from/to
   * as the request sent them); holds at most `keepBodies` entries.
   */
  bodies: Map<string, Uint8Array>;
  /** Replaces the fault options (and restarts the fault script and stream). */
  setFaults(faults: FaultOptions): void;
  /**
   * The final records whose start lies in `[from, to)`, in start order, of
   * the API named (default the first one served).
   */
  recordsIn(from: number, to: number, api?: string): Record<string, unknown>[];
  /** Stops the server, closing open connections and pending delays. */
  close(): Promise<void>;
}

const DOMAIN_ROUTE = /^\/api\/account\/([^/]+)\/service\/([^/]+)\/baseURI\.json$/;

/**
 * Starts a simulator on 127.0.0.1.
 *
 * @param options port, the APIs and their datasets, accepted credentials, faults, clock
 * @returns the running simulator; call `close()` when done
 * @throws {RangeError} if a dataset or the fault options are invalid
 *
 * @example
 * ```ts
 * import { DEMO_CREDENTIALS, startSimulator } from "./server.ts";
 * import { ENGAGEMENT_HISTORY_SIMULATED } from "../sources/engagement_history/simulator/mod.ts";
 * import assert from "node:assert/strict";
 * const simulator = await startSimulator({
 *   serve: [{
 *     api: ENGAGEMENT_HISTORY_SIMULATED,
 *     dataset: { count: 10, from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 0, 2) },
 *   }],
 * });
 * const response = await fetch(
 *   `${simulator.url}/api/account/${DEMO_CREDENTIALS.accountId}/service/engHistDomain/baseURI.json?version=1.0`,
 * );
 * assert.equal((await response.json()).baseURI, simulator.host);
 * await simulator.close();
 * ```
 */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  if (options.serve.length === 0) throw new RangeError("Serve at least one API");
  for (const served of options.serve) resolveDataset(served.dataset);
  const credentials = options.credentials ?? DEMO_CREDENTIALS;
  const clock = options.clock ?? Date.now;
  const keepBodies = options.keepBodies ?? 0;
  if (!Number.isInteger(keepBodies) || keepBodies < 0) {
    throw new RangeError(`Invalid keepBodies ${keepBodies}: use a whole number of 0 or more`);
  }
  let faults: FaultOptions = options.faults ?? {};
  let picker = createFaultPicker(faults);
  let dropCount = 0;
  let searchesInProgress = 0;
  const answers = options.cacheAnswers ? new Map<string, RememberedAnswer>() : undefined;
  let closed = false;
  const pendingDelays = new Set<() => void>();
  const searches: SearchLogEntry[] = [];
  const bodies = new Map<string, Uint8Array>();

  function delay(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    if (options.sleep) return options.sleep(ms);
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

  /** Answers a 429, 5xx or drop fault; true when the request is done with. */
  function failedByFault(
    entry: SearchLogEntry,
    request: IncomingMessage,
    response: ServerResponse,
  ): boolean {
    switch (entry.fault) {
      case "429": {
        const seconds = faults.retryAfterSeconds ?? 1;
        entry.status = 429;
        sendJson(response, 429, {
          error: "Too Many Requests",
          message: `Rate limit exceeded: retry after ${seconds} seconds`,
        }, { "Retry-After": String(seconds) });
        return true;
      }
      case "500":
      case "503":
        entry.status = Number(entry.fault);
        sendError(
          response,
          entry.status,
          entry.fault === "500" ? "Internal Server Error" : "Service Unavailable",
          entry.fault === "500"
            ? "Simulated server error: retry later"
            : "Simulated outage: retry later",
        );
        return true;
      case "drop":
        dropCount++;
        if (dropCount % 2 === 0) {
          // Dropped mid-body: headers promise more bytes than arrive.
          response.writeHead(200, { "Content-Type": "application/json", "Content-Length": "4096" });
          response.write('{"_metadata":{"count":', () => request.socket.destroy());
        } else {
          request.socket.destroy();
        }
        return true;
      default:
        return false;
    }
  }

  async function handleEndpoint(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    route: { served: ServedApi; endpoint: string; accountId: string },
  ): Promise<void> {
    const { api, dataset } = route.served;
    // Decided on arrival, before the first await, from the searches in progress then.
    const overCap = searchesInProgress > (faults.maxConcurrent ?? Infinity);
    const body = await readBody(request);
    const entry: SearchLogEntry = {
      api: api.name,
      endpoint: route.endpoint,
      ...api.facts({ endpoint: route.endpoint, params: url.searchParams, body }),
      status: 0,
      fault: overCap ? "429" : picker.next(),
      at: Date.now(),
      ...(overCap ? { overCap } : {}),
    };
    searches.push(entry);
    options.onRequest?.(entry);
    if (options.onSearch) {
      const report = options.onSearch;
      response.once("close", () => report(entry));
    }
    // A front end that refuses work over its cap answers at once.
    await delay(overCap ? 0 : faults.latencyMs ?? 0);
    if (entry.fault === "slow") await delay(faults.slowMs ?? 5000);
    if (closed || response.destroyed) {
      request.socket.destroy();
      return;
    }
    if (failedByFault(entry, request, response)) return;
    const fail = (status: number, error: string, message: string) => {
      entry.status = status;
      sendError(response, status, error, message);
    };
    const verdict = verifyOAuthRequest({
      method: request.method ?? "POST",
      url: url.href,
      authorization: request.headers.authorization,
    }, credentials);
    if (!verdict.ok) return fail(401, "Unauthorized", verdict.reason);
    if (route.accountId !== credentials.accountId) {
      return fail(
        403,
        "Forbidden",
        `This API key does not belong to account ${route.accountId}: use its own account id`,
      );
    }
    let answer: SimulatedAnswer;
    const now = clock();
    const key = `${api.name} ${route.endpoint} ${url.search} ${now} ${body}`;
    const remembered = answers?.get(key) ?? {};
    try {
      answer = remembered.answer ?? api.answer({
        endpoint: route.endpoint,
        params: url.searchParams,
        body,
        href: `${url.origin}${url.pathname}`,
        now,
      }, dataset);
      answers?.set(key, { ...remembered, answer });
    } catch (error) {
      if (error instanceof SimulatedRequestError) {
        return fail(error.status, "Bad Request", error.message);
      }
      throw error;
    }
    if (answer.status === 204 || answer.body === undefined) {
      entry.status = 204;
      response.writeHead(204);
      response.end();
      return;
    }
    const page = withGapFault(answer.body, api.recordsField, entry.fault);
    entry.status = 200;
    const whole = page === answer.body;
    const bytes = whole && remembered.bytes
      ? sendBytes(response, 200, remembered.bytes)
      : sendJson(response, 200, page);
    const sha256 = whole && remembered.sha256 || createHash("sha256").update(bytes).digest("hex");
    if (whole) answers?.set(key, { answer, bytes, sha256 });
    entry.sha256 = sha256;
    const records = page[api.recordsField];
    entry.records = Array.isArray(records) ? records.length : 0;
    keepBody(`${entry.from}:${entry.to}:${entry.offset}`, bytes);
  }

  function routeOf(path: string) {
    for (const served of options.serve) {
      const match = served.api.match(path);
      if (match) return { served, ...match };
    }
    return undefined;
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
      if (!options.serve.some((served) => served.api.serviceName === service)) {
        return sendError(response, 404, "Not Found", `No service ${service} for this account`);
      }
      sendJson(response, 200, { service, account, baseURI: host });
      return;
    }
    const route = routeOf(url.pathname);
    if (route) {
      if (request.method !== "POST") {
        await readBody(request);
        return sendError(
          response,
          405,
          "Method Not Allowed",
          "The search endpoints take POST with a JSON body",
        );
      }
      // Counted until the answer is handed over, so a client that starts its next
      // request as soon as one arrives never meets its own finished request.
      searchesInProgress++;
      try {
        return await handleEndpoint(request, response, url, route);
      } finally {
        searchesInProgress--;
      }
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
    recordsIn(from: number, to: number, name?: string): Record<string, unknown>[] {
      const served = name === undefined
        ? options.serve[0]!
        : options.serve.find((candidate) => candidate.api.name === name);
      if (!served) throw new RangeError(`The simulator does not serve ${name}`);
      return served.api.records(served.dataset, from, to);
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
