/**
 * The simulator's fixed demo API key.
 *
 * @module
 */

/**
 * An API key as the simulator checks it: the account and the four OAuth
 * values (declared here, not taken from the client, so that the simulator
 * stays independent of the code it checks).
 */
export interface ApiKey {
  readonly accountId: string;
  readonly consumerKey: string;
  readonly consumerSecret: string;
  readonly accessToken: string;
  readonly accessTokenSecret: string;
}

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
export const DEMO_CREDENTIALS: ApiKey = Object.freeze({
  accountId: "90412377",
  consumerKey: "demo-consumer-key",
  consumerSecret: "demo-consumer-secret",
  accessToken: "demo-access-token",
  accessTokenSecret: "demo-access-token-secret",
});
