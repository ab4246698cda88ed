/**
 * Server-side verification of OAuth 1.0a HMAC-SHA1 signatures (RFC 5849).
 *
 * Written independently of the client's signing code so that a bug shared by
 * both sides cannot pass unseen.
 *
 * @module
 */

import { createHmac, timingSafeEqual } from "node:crypto";

/** The four secrets of an API key. */
export interface OAuthKey {
  readonly consumerKey: string;
  readonly consumerSecret: string;
  readonly accessToken: string;
  readonly accessTokenSecret: string;
}

/** A request as the server saw it. */
export interface OAuthRequest {
  /** HTTP method, e.g. `POST`. */
  readonly method: string;
  /** Absolute URL with the query string, e.g. `http://127.0.0.1:8080/path?offset=0`. */
  readonly url: string;
  /** The `Authorization` header, if any. */
  readonly authorization: string | undefined;
}

/** Result of {@linkcode verifyOAuthRequest}: `ok`, or the reason it failed. */
export type OAuthVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Percent-encodes per RFC 3986 as RFC 5849 §3.6 requires: everything except
 * `A-Z a-z 0-9 - . _ ~` becomes `%XX` of its UTF-8 bytes, in upper case.
 *
 * @param value the text
 * @returns the encoded text
 *
 * @example
 * ```ts
 * import { percentEncode } from "./oauth_verify.ts";
 * import assert from "node:assert/strict";
 * assert.equal(percentEncode("a b!*'()~:|"), "a%20b%21%2A%27%28%29~%3A%7C");
 * ```
 */
export function percentEncode(value: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(value)) {
    const unreserved = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a) || byte === 0x2d || byte === 0x2e || byte === 0x5f ||
      byte === 0x7e;
    out += unreserved
      ? String.fromCharCode(byte)
      : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * Parses an `Authorization: OAuth k="v", …` header into its decoded parameters.
 *
 * @param header the header value
 * @returns the parameters, or `undefined` if it is not an OAuth header
 *
 * @example
 * ```ts
 * import { parseOAuthHeader } from "./oauth_verify.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseOAuthHeader('OAuth realm="x", oauth_nonce="a%20b"'), { realm: "x", oauth_nonce: "a b" });
 * assert.equal(parseOAuthHeader("Bearer abc"), undefined);
 * ```
 */
export function parseOAuthHeader(header: string): Record<string, string> | undefined {
  const match = /^\s*OAuth\s+(.*)$/is.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  const pair = /\s*([A-Za-z0-9_.~-]+)\s*=\s*"([^"]*)"\s*(?:,|$)/y;
  const text = match[1] ?? "";
  let found: RegExpExecArray | null;
  while (pair.lastIndex < text.length && (found = pair.exec(text)) !== null) {
    params[found[1] as string] = decodeURIComponent(found[2] as string);
  }
  if (pair.lastIndex < text.trimEnd().length) return undefined;
  return params;
}

function decodeFormComponent(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, " "));
}

/**
 * Builds the signature base string of RFC 5849 §3.4.1: method, base URL (no
 * query, no default port) and the normalised parameters (query parameters plus
 * `oauth_*` parameters except `oauth_signature`; a body that is not
 * form-encoded is not signed).
 *
 * @param request the HTTP method and the absolute request URL, query included
 * @param oauthParams the decoded `oauth_*` parameters of the header
 * @returns the base string
 *
 * @example
 * ```ts
 * import { signatureBaseString } from "./oauth_verify.ts";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   signatureBaseString({ method: "post", url: "HTTP://Example.com:80/r?b=2&a=1" }, { oauth_nonce: "n" }),
 *   "POST&http%3A%2F%2Fexample.com%2Fr&a%3D1%26b%3D2%26oauth_nonce%3Dn",
 * );
 * ```
 */
export function signatureBaseString(
  request: { readonly method: string; readonly url: string },
  oauthParams: Readonly<Record<string, string>>,
): string {
  const { method, url } = request;
  const parsed = new URL(url);
  const pairs: [string, string][] = [];
  const query = parsed.search.replace(/^\?/, "");
  if (query !== "") {
    for (const part of query.split("&")) {
      if (part === "") continue;
      const equals = part.indexOf("=");
      const name = equals === -1 ? part : part.slice(0, equals);
      const value = equals === -1 ? "" : part.slice(equals + 1);
      pairs.push([decodeFormComponent(name), decodeFormComponent(value)]);
    }
  }
  for (const [name, value] of Object.entries(oauthParams)) {
    if (name !== "oauth_signature" && name !== "realm") pairs.push([name, value]);
  }
  const encoded = pairs.map(([name, value]) =>
    [percentEncode(name), percentEncode(value)] as const
  );
  // Sorted by encoded name, then encoded value, comparing bytes (RFC 5849 §3.4.1.3.2).
  encoded.sort((
    [an, av],
    [bn, bv],
  ) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const normalized = encoded.map(([name, value]) => `${name}=${value}`).join("&");
  // URL lowercases scheme and host and drops a default port, as §3.4.1.2 asks.
  const baseUrl = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  return `${method.toUpperCase()}&${percentEncode(baseUrl)}&${percentEncode(normalized)}`;
}

/**
 * Computes an HMAC-SHA1 signature (base64) of a base string.
 *
 * @param baseString the signature base string
 * @param consumerSecret the consumer secret
 * @param tokenSecret the token secret
 * @returns the base64 signature
 *
 * @example
 * ```ts
 * import { hmacSha1Signature } from "./oauth_verify.ts";
 * import assert from "node:assert/strict";
 * assert.equal(hmacSha1Signature("base", "cs", "ts").length, 28);
 * ```
 */
export function hmacSha1Signature(
  baseString: string,
  consumerSecret: string,
  tokenSecret: string,
): string {
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  return createHmac("sha1", key).update(baseString).digest("base64");
}

/**
 * Verifies a request's OAuth 1.0a HMAC-SHA1 signature and that its consumer
 * key and token belong to `key`. The reason never contains a secret.
 *
 * @param request method, absolute URL and Authorization header
 * @param key the credentials the server accepts
 * @returns `{ok: true}` or `{ok: false, reason}`
 *
 * @example
 * ```ts
 * import { verifyOAuthRequest } from "./oauth_verify.ts";
 * import assert from "node:assert/strict";
 * const key = { consumerKey: "ck", consumerSecret: "cs", accessToken: "t", accessTokenSecret: "ts" };
 * const verdict = verifyOAuthRequest({ method: "POST", url: "http://h/p", authorization: undefined }, key);
 * assert.equal(verdict.ok, false);
 * ```
 */
export function verifyOAuthRequest(request: OAuthRequest, key: OAuthKey): OAuthVerdict {
  if (!request.authorization) {
    return { ok: false, reason: "Missing Authorization header: sign the request with OAuth 1.0a" };
  }
  let params: Record<string, string> | undefined;
  try {
    params = parseOAuthHeader(request.authorization);
  } catch {
    params = undefined;
  }
  if (!params) {
    return {
      ok: false,
      reason:
        'Authorization header is not an OAuth 1.0a header (expected: OAuth oauth_consumer_key="…", …)',
    };
  }
  for (
    const name of [
      "oauth_consumer_key",
      "oauth_token",
      "oauth_signature_method",
      "oauth_timestamp",
      "oauth_nonce",
      "oauth_signature",
    ]
  ) {
    if (params[name] === undefined) {
      return { ok: false, reason: `Missing ${name} in the OAuth header` };
    }
  }
  if (params.oauth_signature_method !== "HMAC-SHA1") {
    return {
      ok: false,
      reason:
        `Unsupported oauth_signature_method "${params.oauth_signature_method}": use HMAC-SHA1`,
    };
  }
  if (params.oauth_version !== undefined && params.oauth_version !== "1.0") {
    return { ok: false, reason: `Unsupported oauth_version "${params.oauth_version}": use 1.0` };
  }
  if (params.oauth_consumer_key !== key.consumerKey) {
    return { ok: false, reason: "Unknown oauth_consumer_key: check the app key" };
  }
  if (params.oauth_token !== key.accessToken) {
    return { ok: false, reason: "Unknown oauth_token: check the access token" };
  }
  let expected: string;
  try {
    const base = signatureBaseString(request, params);
    expected = hmacSha1Signature(base, key.consumerSecret, key.accessTokenSecret);
  } catch {
    return { ok: false, reason: "Malformed percent-encoding in the query or OAuth header" };
  }
  const given = new TextEncoder().encode(params.oauth_signature ?? "");
  const wanted = new TextEncoder().encode(expected);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    return {
      ok: false,
      reason:
        "Invalid oauth_signature: sign method, URL and query parameters (not the JSON body) " +
        "with the consumer secret and access token secret",
    };
  }
  return { ok: true };
}
