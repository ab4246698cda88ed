/**
 * Signs requests to the simulator with the `oauth-1.0a` package, for tests and
 * for trying the simulator by hand. The server verifies with its own code
 * (oauth_verify.ts), so the two sides do not share an implementation.
 *
 * @module
 */

import OAuth from "oauth-1.0a";
import { createHmac } from "node:crypto";
import type { Credentials } from "../credentials.ts";

/** Fixed values for a reproducible signature; both default to fresh values. */
export interface SignOptions {
  /** `oauth_timestamp` in seconds. */
  timestamp?: number;
  /** `oauth_nonce`. */
  nonce?: string;
}

/**
 * Builds the `Authorization: OAuth …` header value for a request; the query
 * string of `url` is signed, a JSON body is not.
 *
 * @param request HTTP method and absolute URL (with query)
 * @param credentials the API key
 * @param options fixed timestamp and nonce, if wanted
 * @returns the header value
 *
 * @example
 * ```ts
 * import { oauthHeader } from "./request_signer.ts";
 * import { DEMO_CREDENTIALS } from "./demo_credentials.ts";
 * import assert from "node:assert/strict";
 * const header = oauthHeader({ method: "POST", url: "http://127.0.0.1:1/x?source=a" }, DEMO_CREDENTIALS);
 * assert.match(header, /^OAuth oauth_consumer_key="demo-consumer-key"/);
 * ```
 */
export function oauthHeader(
  request: { method: string; url: string },
  credentials: Credentials,
  options: SignOptions = {},
): string {
  const oauth = new OAuth({
    consumer: { key: credentials.consumerKey, secret: credentials.consumerSecret },
    signature_method: "HMAC-SHA1",
    hash_function: (base, key) => createHmac("sha1", key).update(base).digest("base64"),
  });
  const token = { key: credentials.accessToken, secret: credentials.accessTokenSecret };
  const { timestamp, nonce } = options;
  if (timestamp !== undefined) oauth.getTimeStamp = () => timestamp;
  if (nonce !== undefined) oauth.getNonce = () => nonce;
  const data = oauth.authorize({ url: request.url, method: request.method }, token);
  return oauth.toHeader(data).Authorization;
}
