import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { authorizationHeader, oauthParameters } from "../lib/fetch/oauth.ts";

/** RFC 3986 percent-encoding, written independently of the signer. */
function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Parses `OAuth a="b", c="d"` into its decoded parameters. */
function headerParameters(header: string): Record<string, string> {
  assert.match(header, /^OAuth /);
  return Object.fromEntries(
    [...header.slice(6).matchAll(/([a-z_]+)="([^"]*)"/g)].map((m) => [
      m[1]!,
      decodeURIComponent(m[2]!),
    ]),
  );
}

/** RFC 5849 §3.4.1 base string and HMAC-SHA1 signature, computed by hand. */
function expectedSignature(
  method: string,
  url: string,
  oauth: Record<string, string>,
  secrets: { consumerSecret: string; tokenSecret: string },
): string {
  const parsed = new URL(url);
  const pairs: [string, string][] = [];
  for (const part of parsed.search.slice(1).split("&").filter(Boolean)) {
    const [name, value = ""] = part.split("=");
    pairs.push([decodeURIComponent(name!), decodeURIComponent(value)]);
  }
  for (const [name, value] of Object.entries(oauth)) {
    if (name !== "oauth_signature") pairs.push([name, value]);
  }
  const normalized = pairs.map(([n, v]) => [rfc3986(n), rfc3986(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([n, v]) => `${n}=${v}`).join("&");
  const base = [method, rfc3986(`${parsed.origin}${parsed.pathname}`), rfc3986(normalized)]
    .join("&");
  return createHmac("sha1", `${rfc3986(secrets.consumerSecret)}&${rfc3986(secrets.tokenSecret)}`)
    .update(base).digest("base64");
}

const credentials = {
  accountId: "12345678",
  consumerKey: "consumer key",
  consumerSecret: "cs:|& secret",
  accessToken: "token",
  accessTokenSecret: "ts/+= secret",
};

Deno.test("authorizationHeader() signs a URL with ':', '|' and spaces in the query as RFC 5849 does", () => {
  const url = "https://va.enghist.example/interaction_history/api/account/12345678/" +
    "interactions/search?offset=0&limit=100&sort=start%3Aasc&source=a%7Cb%20c";
  const header = authorizationHeader({ method: "POST", url }, credentials, {
    nonce: "n0nce",
    timestamp: 1700000000,
  });
  const parameters = headerParameters(header);
  assert.equal(parameters.oauth_consumer_key, "consumer key");
  assert.equal(parameters.oauth_token, "token");
  assert.equal(parameters.oauth_signature_method, "HMAC-SHA1");
  assert.equal(
    parameters.oauth_signature,
    expectedSignature("POST", url, parameters, {
      consumerSecret: credentials.consumerSecret,
      tokenSecret: credentials.accessTokenSecret,
    }),
  );
});

Deno.test("authorizationHeader() changes the signature when a query parameter changes", () => {
  const options = { nonce: "n", timestamp: 1 };
  const first = headerParameters(
    authorizationHeader(
      { method: "POST", url: "https://h.example/s?offset=0" },
      credentials,
      options,
    ),
  );
  const second = headerParameters(
    authorizationHeader(
      { method: "POST", url: "https://h.example/s?offset=100" },
      credentials,
      options,
    ),
  );
  assert.notEqual(first.oauth_signature, second.oauth_signature);
});

Deno.test("authorizationHeader() never puts a secret in the header", () => {
  const header = authorizationHeader(
    { method: "POST", url: "https://h.example/s?x=1" },
    credentials,
  );
  assert.ok(!header.includes(credentials.consumerSecret));
  assert.ok(!header.includes(rfc3986(credentials.consumerSecret)));
  assert.ok(!header.includes(rfc3986(credentials.accessTokenSecret)));
});

Deno.test("oauthParameters() uses a fresh nonce for every request", () => {
  const request = { method: "POST", url: "https://h.example/s" };
  assert.notEqual(
    oauthParameters(request, credentials).oauth_nonce,
    oauthParameters(request, credentials).oauth_nonce,
  );
});
