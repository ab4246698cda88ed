/**
 * Finding the host of a LivePerson API for an account through the Domain API
 * (CSDS). The host differs between accounts and may change, so it is looked up
 * rather than configured — unless the user overrides it, as the simulator and
 * private deployments need.
 *
 * @module
 */

import { describeStatus, type HttpEffects, requestWithRetries, type RetryPolicy } from "./http.ts";

/** Where LivePerson's Domain API lives. */
export const DOMAIN_API_URL = "https://api.liveperson.net";

/** Options of {@linkcode resolveBaseUrl}. */
export interface ResolveBaseUrlOptions {
  readonly accountId: string;
  /** Domain API service name, e.g. `engHistDomain`. */
  readonly serviceName: string;
  /** A base URL that skips discovery (`--base-url`, `LP_BASE_URL`). */
  readonly override?: string;
  /** The Domain API's own URL; default {@linkcode DOMAIN_API_URL}. */
  readonly domainApiUrl?: string;
  /** Scheme put before the bare host the Domain API returns; default `https`. */
  readonly scheme?: "https" | "http";
  /** Retry policy and effects for the lookup. */
  readonly http?: RetryPolicy & HttpEffects;
}

/**
 * Checks a base URL typed by a user and strips any trailing slash.
 *
 * @param text the URL
 * @returns scheme and host (and path prefix, if any)
 * @throws {TypeError} naming the input and the expected form
 *
 * @example
 * ```ts
 * import { normalizeBaseUrl } from "./domain.ts";
 * import assert from "node:assert/strict";
 * assert.equal(normalizeBaseUrl("http://127.0.0.1:8080/"), "http://127.0.0.1:8080");
 * assert.throws(() => normalizeBaseUrl("va.enghist.liveperson.net"), /expected a URL/);
 * ```
 */
export function normalizeBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(
      `Invalid base URL "${text}": expected a URL such as https://va.enghist.liveperson.net ` +
        `or http://127.0.0.1:8080`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`Invalid base URL "${text}": expected an http:// or https:// URL`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

/**
 * The base URL of an API for an account: the override when given, else the
 * Domain API's answer (`{"baseURI": "host"}`) with a scheme put in front.
 *
 * @param options account, service, override
 * @returns e.g. `https://va.enghist.liveperson.net`
 * @throws {Error} when the Domain API does not know the account or service
 */
export async function resolveBaseUrl(options: ResolveBaseUrlOptions): Promise<string> {
  if (options.override) return normalizeBaseUrl(options.override);
  const domainApi = normalizeBaseUrl(options.domainApiUrl ?? DOMAIN_API_URL);
  const url = `${domainApi}/api/account/${encodeURIComponent(options.accountId)}/service/` +
    `${encodeURIComponent(options.serviceName)}/baseURI.json?version=1.0`;
  let response;
  try {
    response = await requestWithRetries((signal) => fetch(url, { signal }), options.http);
  } catch (error) {
    if (error instanceof Error && "status" in error) {
      throw new Error(
        `The Domain API could not find service ${options.serviceName} for account ` +
          `${options.accountId}: check LP_ACCOUNT_ID. ${error.message}`,
      );
    }
    throw error;
  }
  const text = new TextDecoder().decode(response.body);
  let host: unknown;
  try {
    const parsed = JSON.parse(text) as {
      baseURI?: unknown;
      baseURIs?: { service?: string; baseURI?: string }[];
    };
    host = parsed.baseURI ??
      parsed.baseURIs?.find((entry) => entry.service === options.serviceName)?.baseURI;
  } catch { /* reported below */ }
  if (typeof host !== "string" || host === "") {
    throw new Error(
      `The Domain API gave no host for ${options.serviceName} (account ${options.accountId}): ` +
        `set LP_BASE_URL to the API's URL instead. ${describeStatus(response.status, text)}`,
    );
  }
  return normalizeBaseUrl(`${options.scheme ?? "https"}://${host}`);
}
