/**
 * HTTP with retries, the way LivePerson asks clients to behave: 429 waits at
 * least the server's `Retry-After` (and never less than a second), 5xx,
 * timeouts and dropped connections back off exponentially with jitter, and
 * other 4xx fail at once with a message that says what to fix.
 *
 * @module
 */

/** How persistent {@linkcode requestWithRetries} is. */
export interface RetryPolicy {
  /** Attempts in all, the first included; default 8. */
  readonly maxAttempts?: number;
  /** Backoff before the first retry, in ms; doubles each time; default 1000. */
  readonly baseDelayMs?: number;
  /** Longest backoff, in ms; default 120 000 (LivePerson suggests minutes for outages). */
  readonly maxDelayMs?: number;
  /** Shortest wait after a 429, in ms; default 1000 (LivePerson's minimum). */
  readonly minRetryAfterMs?: number;
  /** Time allowed for one attempt, response body included, in ms; default 120 000. */
  readonly timeoutMs?: number;
}

/** A retry that is about to happen, for progress reporting. */
export interface RetryEvent {
  /** The attempt that failed, 1-based. */
  readonly attempt: number;
  /** Why it failed: `429`, `503`, `timeout`, `connection`… */
  readonly reason: string;
  /** How long the client waits before the next attempt, in ms. */
  readonly waitMs: number;
}

/** Injectable effects, so tests can observe waits without sleeping. */
export interface HttpEffects {
  /** Waits `ms`; default a real timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform random in [0, 1) for jitter; default Math.random. */
  readonly random?: () => number;
  /** Called before each retry's wait. */
  readonly onRetry?: (event: RetryEvent) => void;
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

/** Every attempt failed with a retryable error. */
export class RetriesExhaustedError extends Error {
  /**
   * @param attempts attempts made
   * @param lastReason the last failure
   */
  constructor(attempts: number, lastReason: string) {
    super(
      `Gave up after ${attempts} attempts (last: ${lastReason}). The service may be down ` +
        `or throttling hard: wait a few minutes and run the same command again; ` +
        `what was already fetched is kept and skipped`,
    );
    this.name = "RetriesExhaustedError";
  }
}

/** Explains a non-retryable status in words a user can act on. */
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
 * Exponential backoff with jitter: between half and all of
 * `base · 2^(retry-1)`, capped at `maxDelayMs`.
 *
 * @param retry 1 for the first retry
 * @param policy base and cap
 * @param random uniform random in [0, 1)
 * @returns the wait in ms
 *
 * @example
 * ```ts
 * import { backoffMs } from "./http.ts";
 * import assert from "node:assert/strict";
 * assert.equal(backoffMs(3, { baseDelayMs: 1000 }, () => 0.999999), 4000);
 * assert.equal(backoffMs(3, { baseDelayMs: 1000 }, () => 0), 2000);
 * ```
 */
export function backoffMs(
  retry: number,
  policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">,
  random: () => number,
): number {
  const full = Math.min(
    policy.maxDelayMs ?? 120_000,
    (policy.baseDelayMs ?? 1000) * 2 ** (retry - 1),
  );
  return Math.round(full / 2 + random() * (full / 2));
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
 * @throws {RetriesExhaustedError} when every attempt failed
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
  const maxAttempts = options.maxAttempts ?? 8;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  const minRetryAfterMs = options.minRetryAfterMs ?? 1000;
  let lastReason = "";
  for (let attempt = 1;; attempt++) {
    let waitMs: number;
    const signal = AbortSignal.timeout(options.timeoutMs ?? 120_000);
    try {
      const response = await send(signal);
      const body = new Uint8Array(await response.arrayBuffer());
      if (response.ok) {
        return { status: response.status, headers: response.headers, body };
      }
      if (!isRetryableStatus(response.status)) {
        throw new HttpStatusError(
          response.status,
          describeStatus(response.status, new TextDecoder().decode(body)),
        );
      }
      lastReason = String(response.status);
      const backoff = backoffMs(attempt, options, random);
      waitMs = response.status === 429
        ? Math.max(retryAfterMs(response.headers.get("retry-after")) ?? backoff, minRetryAfterMs)
        : backoff;
    } catch (error) {
      if (error instanceof HttpStatusError) throw error;
      lastReason = signal.aborted ? "timeout" : `connection (${errorText(error)})`;
      waitMs = backoffMs(attempt, options, random);
    }
    if (attempt >= maxAttempts) throw new RetriesExhaustedError(attempt, lastReason);
    options.onRetry?.({ attempt, reason: lastReason, waitMs });
    await sleep(waitMs);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message.split("\n")[0]!.slice(0, 200) : String(error);
}
