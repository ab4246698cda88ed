/**
 * The simulator's fixed demo API key.
 *
 * @module
 */

import type { Credentials } from "../credentials.ts";

/**
 * Demo credentials the simulator accepts by default. They are public, fixed
 * values that only open the local simulator, never a LivePerson account.
 *
 * @example
 * ```ts
 * import { DEMO_CREDENTIALS } from "./demo_credentials.ts";
 * import assert from "node:assert/strict";
 * assert.match(DEMO_CREDENTIALS.accountId, /^\d{8}$/);
 * ```
 */
export const DEMO_CREDENTIALS: Credentials = Object.freeze({
  accountId: "90412377",
  consumerKey: "demo-consumer-key",
  consumerSecret: "demo-consumer-secret",
  accessToken: "demo-access-token",
  accessTokenSecret: "demo-access-token-secret",
});
