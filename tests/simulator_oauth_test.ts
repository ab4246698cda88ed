import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import {
  hmacSha1Signature,
  parseOAuthHeader,
  percentEncode,
  signatureBaseString,
  verifyOAuthRequest,
} from "../lib/simulator/oauth_verify.ts";
import { authorizationHeader } from "../lib/fetch/oauth.ts";
import { DEMO_CREDENTIALS } from "../lib/simulator/demo_credentials.ts";

// RFC 5849 §3.4.1.1: the form body parameters (c2, a3=2 q) are moved into the
// query here; the verifier merges and sorts all parameters, so the base string is the same.
const RFC_URL = "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b&c2=&a3=2+q";
const RFC_OAUTH = {
  realm: "Example",
  oauth_consumer_key: "9djdj82h48djs9d2",
  oauth_token: "kkk9d7dh3k39sjv7",
  oauth_signature_method: "HMAC-SHA1",
  oauth_timestamp: "137131201",
  oauth_nonce: "7d8f3e4a",
  oauth_signature: "ignored",
};
const RFC_BASE_STRING = "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q" +
  "%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2" +
  "%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201" +
  "%26oauth_token%3Dkkk9d7dh3k39sjv7";

const KEY = {
  consumerKey: "9djdj82h48djs9d2",
  consumerSecret: "j49sk3j29djd",
  accessToken: "kkk9d7dh3k39sjv7",
  accessTokenSecret: "dh893hdasih9",
};

function header(params: Record<string, string>): string {
  return "OAuth " +
    Object.entries(params).map(([name, value]) => `${name}="${percentEncode(value)}"`).join(", ");
}

Deno.test("signatureBaseString() matches the RFC 5849 §3.4.1.1 example", () => {
  assert.equal(signatureBaseString({ method: "POST", url: RFC_URL }, RFC_OAUTH), RFC_BASE_STRING);
});

Deno.test("hmacSha1Signature() equals an HMAC-SHA1 computed by hand", () => {
  const byHand = createHmac("sha1", "j49sk3j29djd&dh893hdasih9").update(RFC_BASE_STRING).digest(
    "base64",
  );
  assert.equal(
    hmacSha1Signature(RFC_BASE_STRING, KEY.consumerSecret, KEY.accessTokenSecret),
    byHand,
  );
});

Deno.test("verifyOAuthRequest() accepts the RFC example signed by hand", () => {
  const signature = createHmac("sha1", "j49sk3j29djd&dh893hdasih9").update(RFC_BASE_STRING)
    .digest("base64");
  const authorization = header({ ...RFC_OAUTH, oauth_signature: signature });
  assert.deepEqual(verifyOAuthRequest({ method: "POST", url: RFC_URL, authorization }, KEY), {
    ok: true,
  });
});

Deno.test("verifyOAuthRequest() rejects the RFC example signed with a wrong secret", () => {
  const signature = createHmac("sha1", "wrong&dh893hdasih9").update(RFC_BASE_STRING).digest(
    "base64",
  );
  const authorization = header({ ...RFC_OAUTH, oauth_signature: signature });
  const verdict = verifyOAuthRequest({ method: "POST", url: RFC_URL, authorization }, KEY);
  assert.equal(verdict.ok, false);
  assert.match(!verdict.ok ? verdict.reason : "", /Invalid oauth_signature/);
});

const LP_URL =
  "http://127.0.0.1:8080/interaction_history/api/account/90412377/interactions/search" +
  "?offset=100&limit=100&sort=start:asc&source=lpHistory%20fetch%7Cx";

Deno.test("verifyOAuthRequest() accepts oauth-1.0a signatures of a query with : | and spaces", () => {
  const authorization = authorizationHeader({ method: "POST", url: LP_URL }, DEMO_CREDENTIALS);
  assert.deepEqual(
    verifyOAuthRequest({ method: "POST", url: LP_URL, authorization }, DEMO_CREDENTIALS),
    { ok: true },
  );
});

Deno.test("verifyOAuthRequest() rejects a tampered query", () => {
  const authorization = authorizationHeader({ method: "POST", url: LP_URL }, DEMO_CREDENTIALS);
  const tampered = LP_URL.replace("offset=100", "offset=200");
  const verdict = verifyOAuthRequest(
    { method: "POST", url: tampered, authorization },
    DEMO_CREDENTIALS,
  );
  assert.equal(verdict.ok, false);
});

Deno.test("verifyOAuthRequest() rejects a signature made with a wrong consumer secret", () => {
  const authorization = authorizationHeader({ method: "POST", url: LP_URL }, {
    ...DEMO_CREDENTIALS,
    consumerSecret: "not-the-secret",
  });
  const verdict = verifyOAuthRequest(
    { method: "POST", url: LP_URL, authorization },
    DEMO_CREDENTIALS,
  );
  assert.equal(verdict.ok, false);
  assert.ok(!verdict.ok && !verdict.reason.includes(DEMO_CREDENTIALS.consumerSecret));
});

Deno.test("verifyOAuthRequest() rejects a missing header, a Bearer header and a wrong key", () => {
  const request = { method: "POST", url: LP_URL };
  assert.match(
    JSON.stringify(verifyOAuthRequest({ ...request, authorization: undefined }, DEMO_CREDENTIALS)),
    /Missing Authorization header/,
  );
  assert.match(
    JSON.stringify(
      verifyOAuthRequest({ ...request, authorization: "Bearer abc" }, DEMO_CREDENTIALS),
    ),
    /not an OAuth 1.0a header/,
  );
  const otherKey = authorizationHeader(request, { ...DEMO_CREDENTIALS, consumerKey: "other" });
  assert.match(
    JSON.stringify(verifyOAuthRequest({ ...request, authorization: otherKey }, DEMO_CREDENTIALS)),
    /oauth_consumer_key/,
  );
  const otherToken = authorizationHeader(request, { ...DEMO_CREDENTIALS, accessToken: "other" });
  assert.match(
    JSON.stringify(
      verifyOAuthRequest({ ...request, authorization: otherToken }, DEMO_CREDENTIALS),
    ),
    /oauth_token/,
  );
});

Deno.test("verifyOAuthRequest() rejects a changed method", () => {
  const authorization = authorizationHeader({ method: "GET", url: LP_URL }, DEMO_CREDENTIALS);
  assert.equal(
    verifyOAuthRequest({ method: "POST", url: LP_URL, authorization }, DEMO_CREDENTIALS).ok,
    false,
  );
});

Deno.test("parseOAuthHeader() decodes values and rejects garbage", () => {
  assert.deepEqual(parseOAuthHeader('OAuth a="x%2By", b="1"'), { a: "x+y", b: "1" });
  assert.equal(parseOAuthHeader('OAuth a="x", nonsense'), undefined);
});

Deno.test("percentEncode() encodes UTF-8 bytes in upper-case hex", () => {
  assert.equal(percentEncode("é☃"), "%C3%A9%E2%98%83");
  assert.equal(percentEncode("AZaz09-._~"), "AZaz09-._~");
});
