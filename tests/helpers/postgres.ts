/**
 * A throwaway PostgreSQL server for the tests of one file, started when the
 * file loads and stopped when the process ends; undefined (with a loud
 * SKIPPED warning) where none can be started.
 */

import { type LocalPostgres, startLocalPostgres } from "../../lib/load/local_postgres.ts";
import { openPostgres } from "../../lib/load/postgres.ts";
import { type PostgresTarget, resolveTarget } from "../../lib/load/target.ts";

async function start(): Promise<LocalPostgres | undefined> {
  try {
    const server = await startLocalPostgres({ noSync: true });
    globalThis.addEventListener("unload", () => server.stopSync());
    return server;
  } catch (error) {
    console.warn(
      `SKIPPED: the PostgreSQL tests, as no server could be started here ` +
        `(${(error as Error).message}); install Debian's postgresql to run them`,
    );
    return undefined;
  }
}

/** The server, if one could be started. */
export const POSTGRES: LocalPostgres | undefined = await start();

let databases = 0;

/**
 * Creates a new database on {@linkcode POSTGRES}.
 *
 * @param name a readable part of its name
 * @returns its target (password resolved) and the environment a child process needs
 */
export async function createPostgresDatabase(
  name: string,
): Promise<{ target: PostgresTarget; env: Record<string, string> }> {
  const server = POSTGRES!;
  const env = { PGPASSWORD: server.password };
  const lookup = (variable: string) => variable === "PGPASSWORD" ? server.password : undefined;
  const admin = await openPostgres(resolveTarget(server.url, { env: lookup }) as PostgresTarget);
  const database = `${name}_${++databases}`;
  try {
    await admin.execute(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.close();
  }
  const url = server.url.replace(/\/postgres$/, `/${database}`);
  return { target: resolveTarget(url, { env: lookup }) as PostgresTarget, env };
}
