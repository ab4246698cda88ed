/**
 * HTTP with retries, shaped after LivePerson's retry guidance:
 *
 * - **429** (throttled): wait what `Retry-After` asks, at least one second and
 *   at most {@linkcode RetryPolicy.maxRetryAfterMs} (a longer ask stops the run
 *   with a message instead of a silent day-long sleep); without the header,
 *   1, 2, 4 … seconds up to a minute, which smooths out bursts.
 * - **5xx, timeouts and dropped connections**: 5, 10 and 15 seconds, then
 *   every two minutes, as LivePerson suggests for outages.
 * - One request keeps trying for at most {@linkcode RetryPolicy.maxWaitMs}
 *   (default 30 minutes) in all, so a long storm is ridden out and a dead
 *   server costs a bounded time.
 * - Other 4xx fail at once with a message that says what to fix.
 * - With a limiter, each attempt takes one of its slots for as long as it is
 *   in flight (never during a wait) and tells it how the attempt ended, so
 *   concurrent workers share one adaptive cap and every 429's pause.
 *
 * The clock and the sleep are injectable, so tests observe waits without waiting.
 *
 * @module
 */

import type { RequestLimiter } from "./limiter.ts";

/** How persistent {@linkcode requestWithRetries} is. */
export interface RetryPolicy {
  /** Longest time one request may keep retrying, attempts and waits included; default 30 min. */
  readonly maxWaitMs?: number;
  /** Longest `Retry-After` honoured; a longer one stops with a message. Default 120 s. */
  readonly maxRetryAfterMs?: number;
  /** Shortest wait after a 429, in ms; default 1000 (LivePerson's minimum). */
  readonly minRetryAfterMs?: number;
  /** Waits after the first failures of a 5xx, timeout or drop; default 5, 10, 15 s. */
  readonly serverErrorDelaysMs?: readonly number[];
  /** Wait after each further such failure; default 120 s. */
  readonly outageDelayMs?: number;
  /** Time allowed for one attempt to connect and read the whole body, in ms; default 60 000. */
  readonly timeoutMs?: number;
}

/** The defaults of {@linkcode RetryPolicy}. */
export const DEFAULT_RETRY_POLICY: Required<RetryPolicy> = Object.freeze({
  maxWaitMs: 30 * 60_000,
  maxRetryAfterMs: 120_000,
  minRetryAfterMs: 1000,
  serverErrorDelaysMs: Object.freeze([5000, 10_000, 15_000]),
  outageDelayMs: 120_000,
  timeoutMs: 60_000,
});

/** A retry that is about to happen, for progress reporting. */
export interface RetryEvent {
  /** The attempt that failed, 1-based. */
  readonly attempt: number;
  /** Why it failed: `429`, `503`, `timeout`, `connection (…)`. */
  readonly reason: string;
  /** How long the client waits before the next attempt, in ms. */
  readonly waitMs: number;
  /** Time since the first attempt started, in ms. */
  readonly elapsedMs: number;
}

/** Injectable effects, so tests can observe waits without sleeping. */
export interface HttpEffects {
  /** Waits `ms`; default a real timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The current time in epoch ms; default `Date.now`. */
  readonly now?: () => number;
  /** Uniform random in [0, 1), for jitter; default `Math.random`. */
  readonly random?: () => number;
  /** Called before each retry's wait. */
  readonly onRetry?: (event: RetryEvent) => void;
  /** The cap on requests in flight that every attempt takes a slot of; default none. */
  readonly limiter?: RequestLimiter;
  /**
   * Stops retrying, waiting and the attempt in flight when aborted (the run
   * failed elsewhere); the request then rejects with the signal's reason.
   */
  readonly signal?: AbortSignal;
}

/** A response read to the end. */
export interface CompleteResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The body exactly as received. */
  readonly body: Uint8Array;
}

/** A request that failed with a status that retrying cannot fix. */
export class HttpStatusError extends Error {
  /** The HTTP status. */
  readonly status: number;
  /**
   * @param status HTTP status
   * @param message what went wrong and what to do
   */
  constructor(status: number, message: string) {
    super(message);
    this.name = "HttpStatusError";
    this.status = status;
  }
}

/** Retrying went on for the whole time budget, or the server asked for a longer pause. */
export class RetriesExhaustedError extends Error {
  /**
   * @param message what happened and what to do
   * @param options the last failure
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RetriesExhaustedError";
  }
}

/**
 * Explains a non-retryable status in words a user can act on.
 *
 * @param status the HTTP status
 * @param bodyText the response body
 * @returns the message
 *
 * @example
 * ```ts
 * import { describeStatus } from "./http.ts";
 * import assert from "node:assert/strict";
 * assert.match(describeStatus(403, ""), /Conversation History/);
 * ```
 */
export function describeStatus(status: number, bodyText: string): string {
  const detail = bodyText.trim().slice(0, 300).replace(/\s+/g, " ");
  const server = detail ? ` Server said: ${detail}` : "";
  switch (status) {
    case 401:
      return `401 Unauthorized: LivePerson rejected the API key. Check LP_ACCOUNT_ID, ` +
        `LP_CONSUMER_KEY, LP_CONSUMER_SECRET, LP_ACCESS_TOKEN and LP_ACCESS_TOKEN_SECRET ` +
        `(copy them again from Campaign Builder → Data Sources → API), and that the ` +
        `machine's clock is right (OAuth signatures carry a timestamp).${server}`;
    case 403:
      return `403 Forbidden: the API key lacks permission for this data. In LivePerson, ` +
        `edit the key and tick Data → "Conversation History / Messaging Interactions", ` +
        `and check LP_ACCOUNT_ID is the key's account.${server}`;
    case 400:
      return `400 Bad Request: the API refused the request.${server}`;
    case 404:
      return `404 Not Found: no such endpoint. Check LP_BASE_URL or --base-url, ` +
        `or unset it to let the Domain API find the right host.${server}`;
    default:
      return `HTTP ${status} from the API.${server}`;
  }
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * Milliseconds a `Retry-After` header asks for (seconds or an HTTP date);
 * undefined when absent or unreadable.
 *
 * @param value the header value
 * @param nowMs current time, for the date form
 * @returns the wait in ms
 *
 * @example
 * ```ts
 * import { retryAfterMs } from "./http.ts";
 * import assert from "node:assert/strict";
 * assert.equal(retryAfterMs("3"), 3000);
 * assert.equal(retryAfterMs(null), undefined);
 * ```
 */
export function retryAfterMs(value: string | null, nowMs = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * The wait before retry number `failures` after a 5xx, timeout or dropped
 * connection: the policy's list (5, 10, 15 s), then the outage delay, with up
 * to 10% jitter so that parallel clients do not retry in step.
 *
 * @param failures 1 for the first failure
 * @param policy the delays
 * @param random uniform random in [0, 1)
 * @returns the wait in ms
 *
 * @example
 * ```ts
 * import { serverErrorDelayMs } from "./http.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([1, 2, 3, 4, 9].map((n) => serverErrorDelayMs(n, {}, () => 0)), [
 *   5000, 10000, 15000, 120000, 120000,
 * ]);
 * ```
 */
export function serverErrorDelayMs(
  failures: number,
  policy: Pick<RetryPolicy, "serverErrorDelaysMs" | "outageDelayMs">,
  random: () => number,
): number {
  const delays = policy.serverErrorDelaysMs ?? DEFAULT_RETRY_POLICY.serverErrorDelaysMs;
  const base = delays[failures - 1] ?? policy.outageDelayMs ?? DEFAULT_RETRY_POLICY.outageDelayMs;
  return Math.round(base * (1 + 0.1 * random()));
}

/**
 * The wait after a 429 that carries no `Retry-After`: 1, 2, 4 … seconds (from
 * the policy's minimum), at most a minute.
 *
 * @param throttles 1 for the first 429 in a row
 * @param minMs the shortest wait
 * @returns the wait in ms
 *
 * @example
 * ```ts
 * import { throttleDelayMs } from "./http.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([1, 2, 3, 9].map((n) => throttleDelayMs(n, 1000)), [1000, 2000, 4000, 60000]);
 * ```
 */
export function throttleDelayMs(throttles: number, minMs: number): number {
  return Math.min(60_000, minMs * 2 ** (throttles - 1));
}

/**
 * Sends a request until it succeeds, retrying what is worth retrying.
 * `send` is called once per attempt (so a signed request gets a fresh nonce
 * and timestamp each time) and receives an abort signal for the timeout.
 *
 * @param send makes one attempt
 * @param options retry policy and effects
 * @returns the first 2xx response, read to the end
 * @throws {HttpStatusError} for a status retrying cannot fix (401, 403, 400 …)
 * @throws {RetriesExhaustedError} when the time budget is spent or the server asks
 *   for a pause longer than the policy allows
 *
 * @example
 * ```ts
 * import { requestWithRetries } from "./http.ts";
 * import assert from "node:assert/strict";
 * let calls = 0;
 * const response = await requestWithRetries(
 *   () => Promise.resolve(new Response(++calls < 3 ? "busy" : "done", { status: calls < 3 ? 503 : 200 })),
 *   { sleep: () => Promise.resolve() },
 * );
 * assert.equal(new TextDecoder().decode(response.body), "done");
 * assert.equal(calls, 3);
 * ```
 */
export async function requestWithRetries(
  send: (signal: AbortSignal) => Promise<Response>,
  options: RetryPolicy & HttpEffects = {},
): Promise<CompleteResponse> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...withoutUndefined(options) };
  const stop = options.signal;
  const sleep = options.sleep ?? ((ms: number) => timerSleep(ms, stop));
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  let startedAt: number | undefined;
  let serverFailures = 0;
  let throttles = 0;
  for (let attempt = 1;; attempt++) {
    let waitMs: number;
    let reason: string;
    let failure: unknown;
    const slot = await options.limiter?.acquire(stop);
    // The budget counts from the first attempt, not from the wait for a free slot.
    startedAt ??= now();
    const timeout = AbortSignal.timeout(policy.timeoutMs);
    const signal = stop ? AbortSignal.any([timeout, stop]) : timeout;
    try {
      const response = await send(signal);
      const body = new Uint8Array(await response.arrayBuffer());
      if (response.ok) {
        slot?.succeeded();
        return { status: response.status, headers: response.headers, body };
      }
      if (!isRetryableStatus(response.status)) {
        throw new HttpStatusError(
          response.status,
          describeStatus(response.status, new TextDecoder().decode(body)),
        );
      }
      reason = String(response.status);
      failure = new HttpStatusError(response.status, `HTTP ${response.status}`);
      if (response.status === 429) {
        throttles++;
        const asked = retryAfterMs(response.headers.get("retry-after"), now());
        if (asked !== undefined && asked > policy.maxRetryAfterMs) {
          slot?.throttled(asked);
          throw new RetriesExhaustedError(
            `The API is throttling and asked to wait ${Math.round(asked / 1000)} s ` +
              `(429 Retry-After), longer than the ${policy.maxRetryAfterMs / 1000} s this ` +
              `tool waits: run the same command again later; what was fetched is kept`,
          );
        }
        waitMs = Math.max(
          asked ?? throttleDelayMs(throttles, policy.minRetryAfterMs),
          policy.minRetryAfterMs,
        );
        slot?.throttled(waitMs);
      } else {
        slot?.released();
        throttles = 0;
        waitMs = serverErrorDelayMs(++serverFailures, policy, random);
      }
    } catch (error) {
      // Ending a slot twice does nothing, so the paths above that ended it are safe here.
      slot?.released();
      if (stop?.aborted) throw stop.reason;
      if (error instanceof HttpStatusError || error instanceof RetriesExhaustedError) throw error;
      reason = timeout.aborted
        ? `timeout (no complete answer within ${policy.timeoutMs / 1000} s)`
        : `connection (${errorText(error)})`;
      failure = error;
      throttles = 0;
      waitMs = serverErrorDelayMs(++serverFailures, policy, random);
    }
    const elapsedMs = now() - startedAt;
    if (elapsedMs + waitMs > policy.maxWaitMs) {
      throw new RetriesExhaustedError(
        `Gave up after ${attempt} attempts in ${Math.round(elapsedMs / 1000)} s ` +
          `(last: ${reason}; --max-wait is ${Math.round(policy.maxWaitMs / 60_000)} min). ` +
          `The service may be down or throttling hard: run the same command again later; ` +
          `what was already fetched is kept and skipped`,
        { cause: failure },
      );
    }
    options.onRetry?.({ attempt, reason, waitMs, elapsedMs });
    await abortable(sleep(waitMs), stop);
  }
}

/** A real timer that is cleared when the signal is aborted, so it keeps nothing alive. */
function timerSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Waits for `promise`, or rejects with the signal's reason as soon as it is aborted. */
function abortable(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function withoutUndefined<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(object).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message.split("\n")[0]!.slice(0, 200) : String(error);
}
