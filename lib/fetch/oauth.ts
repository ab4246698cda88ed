/**
 * OAuth 1.0a request signing (HMAC-SHA1) for LivePerson API keys.
 *
 * The query parameters (`offset`, `limit`, `sort`, `source`) are part of the
 * signature; the JSON body is not, because only form-encoded bodies are signed
 * in OAuth 1.0a. Passing the body as `data` would sign parameters the server
 * never sees and every request would fail with 401.
 *
 * @module
 */

import OAuth from "oauth-1.0a";
import { createHmac } from "node:crypto";
import type { Credentials } from "./credentials.ts";

/** What is signed: the method and the full URL, query string included. */
export interface SignableRequest {
  readonly method: string;
  readonly url: string;
  /** Form parameters of an `application/x-www-form-urlencoded` body, if any. */
  readonly formData?: Readonly<Record<string, string>>;
}

/** Fixed nonce and timestamp, for reproducible signatures in tests. */
export interface SigningOptions {
  readonly nonce?: string;
  /** Seconds since the epoch. */
  readonly timestamp?: number;
}

function hmacSha1Base64(baseString: string, key: string): string {
  return createHmac("sha1", key).update(baseString).digest("base64");
}

function signer(
  credentials: Pick<Credentials, "consumerKey" | "consumerSecret">,
  options: SigningOptions,
): OAuth {
  const oauth = new OAuth({
    consumer: { key: credentials.consumerKey, secret: credentials.consumerSecret },
    signature_method: "HMAC-SHA1",
    hash_function: hmacSha1Base64,
  });
  if (options.nonce !== undefined) oauth.getNonce = () => options.nonce!;
  if (options.timestamp !== undefined) oauth.getTimeStamp = () => options.timestamp!;
  return oauth;
}

/**
 * The OAuth 1.0a parameters for a request, `oauth_signature` included.
 *
 * @param request method and URL (and form data, if the body is form-encoded)
 * @param credentials the API key
 * @param options fixed nonce/timestamp for tests
 * @returns the `oauth_*` parameters
 */
export function oauthParameters(
  request: SignableRequest,
  credentials: Omit<Credentials, "accountId"> & Partial<Pick<Credentials, "accountId">>,
  options: SigningOptions = {},
): OAuth.Authorization {
  return signer(credentials, options).authorize(
    { method: request.method.toUpperCase(), url: request.url, data: { ...request.formData } },
    { key: credentials.accessToken, secret: credentials.accessTokenSecret },
  );
}

/**
 * Builds the `Authorization` header value for a request.
 *
 * @param request method and full URL, query included
 * @param credentials the API key
 * @param options fixed nonce/timestamp for tests
 * @returns `OAuth oauth_consumer_key="…", …, oauth_signature="…"`
 *
 * @example
 * ```ts
 * import { authorizationHeader } from "./oauth.ts";
 * import assert from "node:assert/strict";
 * const header = authorizationHeader(
 *   { method: "POST", url: "https://example.com/search?offset=0&limit=100" },
 *   { consumerKey: "ck", consumerSecret: "cs", accessToken: "t", accessTokenSecret: "ts" },
 *   { nonce: "abc", timestamp: 1700000000 },
 * );
 * assert.match(header, /^OAuth /);
 * assert.match(header, /oauth_signature="[^"]+"/);
 * ```
 */
export function authorizationHeader(
  request: SignableRequest,
  credentials: Omit<Credentials, "accountId"> & Partial<Pick<Credentials, "accountId">>,
  options: SigningOptions = {},
): string {
  const oauth = signer(credentials, options);
  return oauth.toHeader(oauthParameters(request, credentials, options)).Authorization;
}
