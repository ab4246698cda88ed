/**
 * Where `deno task load` writes: a DuckDB file (the default) or a PostgreSQL
 * server named by a `postgres://` URL, from `--db` or `LP_DATABASE_URL`.
 *
 * A password never comes from the command line, where other users of the
 * machine and the shell history see it: it comes from `LP_DATABASE_URL`, from
 * `PGPASSWORD`, or from a pgpass file (`PGPASSFILE`, else `~/.pgpass`), as
 * libpq reads it. No message ever shows it.
 *
 * @module
 */

import { join } from "node:path";
import { UsageError } from "../errors.ts";

/** The embedded default database. */
export const DEFAULT_DATABASE = "data/lp-history.duckdb";

/** Environment variable naming the database when `--db` is not given. */
export const DATABASE_ENV = "LP_DATABASE_URL";

/** A DuckDB file. */
export interface DuckDbTarget {
  readonly kind: "duckdb";
  readonly path: string;
}

/** A PostgreSQL server and database. */
export interface PostgresTarget {
  readonly kind: "postgres";
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** Never shown; undefined when none was found (trust or peer authentication). */
  readonly password?: string;
  /** `sslmode` of the URL; `prefer` when absent. */
  readonly sslMode: "disable" | "allow" | "prefer" | "require" | "verify-ca" | "verify-full";
  /** The URL without its password, for messages and `load_runs`. */
  readonly display: string;
}

/** Where to load. */
export type DatabaseTarget = DuckDbTarget | PostgresTarget;

/** Options of {@linkcode resolveTarget}. */
export interface ResolveTargetOptions {
  /** Environment lookup; default `Deno.env.get`. */
  readonly env?: (name: string) => string | undefined;
  /** The pgpass file's text, for tests; default read from `PGPASSFILE` or `~/.pgpass`. */
  readonly readPgpass?: () => string | undefined;
}

const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] as const;

/**
 * Finds the password for a connection in pgpass text: the first line whose
 * `host:port:database:user` fields match (`*` matches anything; `\:` and `\\`
 * are escapes), as libpq does.
 *
 * @param text the pgpass file's text
 * @param wanted the connection
 * @returns the password, or undefined
 *
 * @example
 * ```ts
 * import { pgpassPassword } from "./target.ts";
 * import assert from "node:assert/strict";
 * const text = "# team server\nother:5432:*:*:no\ndb.example:*:*:lp:s3cr\\:et\n";
 * const wanted = { host: "db.example", port: 5432, database: "lp", user: "lp" };
 * assert.equal(pgpassPassword(text, wanted), "s3cr:et");
 * assert.equal(pgpassPassword(text, { ...wanted, user: "bob" }), undefined);
 * ```
 */
export function pgpassPassword(
  text: string,
  wanted: { host: string; port: number; database: string; user: string },
): string | undefined {
  const want = [wanted.host, String(wanted.port), wanted.database, wanted.user];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "" || line.startsWith("#")) continue;
    const fields: string[] = [];
    let field = "";
    for (let index = 0; index < line.length; index++) {
      const char = line[index]!;
      if (char === "\\" && index + 1 < line.length) field += line[++index];
      else if (char === ":" && fields.length < 4) {
        fields.push(field);
        field = "";
      } else field += char;
    }
    fields.push(field);
    if (fields.length !== 5) continue;
    const matches = want.every((value, index) => {
      const field = fields[index]!;
      // libpq: "localhost" in the file also matches a connection over the default socket.
      return field === "*" || field === value ||
        (index === 0 && field === "localhost" && value === "127.0.0.1");
    });
    if (matches) return fields[4];
  }
  return undefined;
}

function defaultPgpass(env: (name: string) => string | undefined): string | undefined {
  const home = env("HOME");
  const path = env("PGPASSFILE") ?? (home ? join(home, ".pgpass") : undefined);
  if (!path) return undefined;
  try {
    const info = Deno.statSync(path);
    // libpq ignores a pgpass file others can read; so do we.
    if (info.mode !== null && (info.mode & 0o077) !== 0) return undefined;
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}

function parsePostgresUrl(
  text: string,
  fromArgv: boolean,
  options: ResolveTargetOptions,
): PostgresTarget {
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `Invalid database URL: expected postgres://USER@HOST:PORT/DATABASE (the password from ` +
        `PGPASSWORD or ~/.pgpass)`,
    );
  }
  if (url.password !== "" && fromArgv) {
    throw new UsageError(
      "Invalid --db: it holds a password, which other users can see on the command line. " +
        "Remove it and put it in PGPASSWORD or ~/.pgpass (or the whole URL in LP_DATABASE_URL)",
    );
  }
  const user = decodeURIComponent(url.username) || env("PGUSER") || env("USER") || "postgres";
  const host = decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, "$1") ||
    env("PGHOST") || "localhost";
  const port = Number(url.port || env("PGPORT") || 5432);
  const database = decodeURIComponent(url.pathname.replace(/^\//, "")) || env("PGDATABASE") ||
    user;
  const sslMode = url.searchParams.get("sslmode") ?? "prefer";
  if (!(SSL_MODES as readonly string[]).includes(sslMode)) {
    throw new UsageError(
      `Invalid sslmode "${sslMode}" in the database URL: use one of ${SSL_MODES.join(", ")}`,
    );
  }
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new UsageError(`Invalid port "${url.port}" in the database URL`);
  }
  const password = url.password !== "" ? decodeURIComponent(url.password) : env("PGPASSWORD") ??
    pgpassPassword(
      (options.readPgpass ?? (() => defaultPgpass(env)))() ?? "",
      { host, port, database, user },
    );
  const shown = new URL(url.href);
  shown.password = "";
  return {
    kind: "postgres",
    host,
    port,
    database,
    user,
    ...(password === undefined ? {} : { password }),
    sslMode: sslMode as PostgresTarget["sslMode"],
    display: shown.href,
  };
}

/**
 * Reads where to load: `--db` when given, else `LP_DATABASE_URL`, else the
 * DuckDB default. A `postgres://` or `postgresql://` URL means PostgreSQL;
 * anything else is a DuckDB file path.
 *
 * @param db the `--db` value, if given
 * @param options environment and pgpass lookups
 * @returns the target, with the password resolved (never shown)
 * @throws {UsageError} for a password on the command line or a malformed URL
 *
 * @example
 * ```ts
 * import { resolveTarget } from "./target.ts";
 * import assert from "node:assert/strict";
 * const env = (name: string) => ({ PGPASSWORD: "pw" } as Record<string, string>)[name];
 * assert.deepEqual(resolveTarget(undefined, { env: () => undefined }),
 *   { kind: "duckdb", path: "data/lp-history.duckdb" });
 * const target = resolveTarget("postgres://lp@127.0.0.1:5433/history", { env });
 * assert.equal(target.kind === "postgres" && target.password, "pw");
 * assert.throws(() => resolveTarget("postgres://lp:pw@db/x", { env }), /holds a password/);
 * ```
 */
export function resolveTarget(
  db: string | undefined,
  options: ResolveTargetOptions = {},
): DatabaseTarget {
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  const fromEnv = db === undefined ? env(DATABASE_ENV) : undefined;
  const text = (db ?? fromEnv ?? DEFAULT_DATABASE).trim();
  if (text === "") {
    throw new UsageError(
      `Empty ${db === undefined ? DATABASE_ENV : "--db"}: name a DuckDB file or a postgres:// URL`,
    );
  }
  if (/^postgres(ql)?:\/\//i.test(text)) return parsePostgresUrl(text, db !== undefined, options);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new UsageError(
      `Unsupported database "${text.replace(/\/\/[^@/]*@/, "//…@")}": use a DuckDB file path ` +
        `or a postgres:// URL`,
    );
  }
  return { kind: "duckdb", path: text };
}

/**
 * How a target is shown in messages and `load_runs`: never with a password.
 *
 * @param target the target
 * @returns the DuckDB path or the URL without password
 *
 * @example
 * ```ts
 * import { describeTarget } from "./target.ts";
 * import assert from "node:assert/strict";
 * assert.equal(describeTarget({ kind: "duckdb", path: "x.duckdb" }), "x.duckdb");
 * ```
 */
export function describeTarget(target: DatabaseTarget): string {
  return target.kind === "duckdb" ? target.path : target.display;
}
