/**
 * LivePerson API-key credentials, read from the environment or a `.env` file.
 *
 * Secrets never come from argv: a command line is visible to every user of the
 * machine through the process list.
 *
 * @module
 */

import { UsageError } from "../errors.ts";

/** The four values of a LivePerson API key, plus the account they belong to. */
export interface Credentials {
  /** Account (site) id, e.g. `12345678`. */
  readonly accountId: string;
  /** "App key" in the LivePerson UI. */
  readonly consumerKey: string;
  /** "Secret" in the LivePerson UI. */
  readonly consumerSecret: string;
  /** "Access token" in the LivePerson UI. */
  readonly accessToken: string;
  /** "Access token secret" in the LivePerson UI. */
  readonly accessTokenSecret: string;
}

/** Environment variable that holds each credential. */
export const CREDENTIAL_ENV_VARS: Readonly<Record<keyof Credentials, string>> = {
  accountId: "LP_ACCOUNT_ID",
  consumerKey: "LP_CONSUMER_KEY",
  consumerSecret: "LP_CONSUMER_SECRET",
  accessToken: "LP_ACCESS_TOKEN",
  accessTokenSecret: "LP_ACCESS_TOKEN_SECRET",
};

/** Thrown when a credential is missing; the message names the variable and the fix. */
export class MissingCredentialError extends Error {
  /** The environment variable that was not set. */
  readonly variable: string;
  /** @param variable the missing environment variable */
  constructor(variable: string) {
    super(
      `Missing environment variable ${variable}: set it in your shell or in a .env file ` +
        `in the current directory (see README, "Using your own LivePerson account")`,
    );
    this.name = "MissingCredentialError";
    this.variable = variable;
  }
}

/**
 * Parses the text of a `.env` file: `NAME=value` lines, `#` comments, optional
 * `export ` prefix, and values in single or double quotes.
 *
 * @param text the file's content
 * @returns the variables it defines
 *
 * @example
 * ```ts
 * import { parseDotEnv } from "./credentials.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseDotEnv('# keys\nexport A=1\nB="x y"\n'), { A: "1", B: "x y" });
 * ```
 */
export function parseDotEnv(text: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    const [, name, rawValue] = match as unknown as [string, string, string];
    const quoted = /^(['"])(.*)\1$/.exec(rawValue);
    variables[name] = quoted ? quoted[2]! : rawValue.replace(/\s+#.*$/, "");
  }
  return variables;
}

/**
 * Collects credentials from `env`, falling back to `dotEnv` for any variable the
 * environment does not set.
 *
 * @param env the process environment (`Deno.env.toObject()`)
 * @param dotEnv variables parsed from a `.env` file, if any
 * @returns the credentials
 * @throws {MissingCredentialError} naming the first variable that is missing
 *
 * @example
 * ```ts
 * import { credentialsFrom } from "./credentials.ts";
 * import assert from "node:assert/strict";
 * const env = { LP_ACCOUNT_ID: "1", LP_CONSUMER_KEY: "k", LP_CONSUMER_SECRET: "s" };
 * const dotEnv = { LP_ACCESS_TOKEN: "t", LP_ACCESS_TOKEN_SECRET: "ts" };
 * assert.equal(credentialsFrom(env, dotEnv).accessToken, "t");
 * ```
 */
export function credentialsFrom(
  env: Readonly<Record<string, string | undefined>>,
  dotEnv: Readonly<Record<string, string>> = {},
): Credentials {
  const values: Partial<Record<keyof Credentials, string>> = {};
  for (const [field, variable] of Object.entries(CREDENTIAL_ENV_VARS)) {
    const value = env[variable] || dotEnv[variable];
    if (!value) throw new MissingCredentialError(variable);
    values[field as keyof Credentials] = value;
  }
  return values as Credentials;
}

/**
 * Reads `.env` from a directory if it exists.
 *
 * @param dir folder to look in; default the current directory
 * @returns the variables it defines, or `{}` when there is no `.env`
 * @throws {UsageError} when the file exists but cannot be read
 *
 * @example
 * ```ts
 * import { readDotEnv } from "./credentials.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(await readDotEnv(await Deno.makeTempDir()), {});
 * ```
 */
export async function readDotEnv(dir = "."): Promise<Record<string, string>> {
  try {
    return parseDotEnv(await Deno.readTextFile(`${dir}/.env`));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return {};
    throw new UsageError(`Cannot read ${dir}/.env: ${(error as Error).message}`);
  }
}
