/**
 * PostgreSQL, for teams: through the npm client `postgres`, one connection
 * per load, with the pipe-CSV streamed in by `COPY … FROM STDIN` (its CSV
 * rules match the tables': an empty unquoted field is null, `""` the empty
 * string).
 *
 * @module
 */

import postgres from "postgres";
import { createReadStream } from "node:fs";
import { connect, type Socket } from "node:net";
import { pipeline } from "node:stream/promises";
import { UsageError } from "../errors.ts";
import { CSV_DELIMITER } from "../tables/csv_writer.ts";
import type { LoadConnection, TableFile } from "./connection.ts";
import { sqlType } from "../tables/ddl.ts";
import { quoteIdentifier, quoteLiteral } from "../tables/sql_text.ts";
import type { PostgresTarget } from "./target.ts";

/** Key of the advisory lock that lets one load at a time write to a database. */
const LOAD_LOCK_KEY = 7_312_905_001;

async function csvHeader(path: string): Promise<string[]> {
  const file = await Deno.open(path);
  try {
    const buffer = new Uint8Array(64 * 1024);
    const read = await file.read(buffer);
    const text = new TextDecoder().decode(buffer.subarray(0, read ?? 0));
    const end = text.indexOf("\n");
    return (end < 0 ? text : text.slice(0, end)).split(CSV_DELIMITER);
  } finally {
    file.close();
  }
}

function sslOption(mode: PostgresTarget["sslMode"]): "prefer" | "require" | "verify-full" | false {
  switch (mode) {
    case "disable":
      return false;
    case "allow":
    case "prefer":
      return "prefer";
    case "require":
      return "require";
    case "verify-ca":
    case "verify-full":
      return "verify-full";
  }
}

class PostgresLoadConnection implements LoadConnection {
  readonly dialect = "postgres" as const;
  readonly formats = ["csv"] as const;
  readonly #sql: postgres.Sql;

  constructor(sql: postgres.Sql) {
    this.#sql = sql;
  }

  async execute(sql: string): Promise<number> {
    const result = await this.#sql.unsafe(sql);
    return result.count ?? 0;
  }

  async query(sql: string): Promise<Record<string, unknown>[]> {
    return [...await this.#sql.unsafe(sql)] as Record<string, unknown>[];
  }

  async stageTable(name: string, file: TableFile): Promise<number> {
    if (file.format !== "csv") {
      throw new UsageError(
        `PostgreSQL loads the CSV copies, and ${file.path} has none: build the tables with ` +
          `--format csv,parquet (the default)`,
      );
    }
    const header = await csvHeader(file.path);
    const expected = file.columns.map((column) => column.name);
    if (header.join("|") !== expected.join("|")) {
      throw new Error(
        `The header of ${file.path} does not match its _schema.json: run \`deno task tables\` again`,
      );
    }
    const table = quoteIdentifier(name);
    await this.execute(`DROP TABLE IF EXISTS ${table}`);
    await this.execute(
      `CREATE TEMP TABLE ${table} (${
        file.columns.map((column) =>
          `${quoteIdentifier(column.name)} ${sqlType(column.type, "postgres")}`
        ).join(", ")
      })`,
    );
    const copy = `COPY ${table} (${expected.map(quoteIdentifier).join(", ")}) FROM STDIN WITH ` +
      `(FORMAT csv, DELIMITER ${quoteLiteral(CSV_DELIMITER)}, QUOTE '"', ESCAPE '"', ` +
      `HEADER true, NULL '', ENCODING 'UTF8')`;
    try {
      await pipeline(createReadStream(file.path), await this.#sql.unsafe(copy).writable());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`Cannot read ${file.path} into PostgreSQL: ${message}`, { cause: error });
    }
    // Temporary tables are never analysed automatically; the batches' joins need the statistics.
    await this.execute(`ANALYZE ${table}`);
    const [row] = await this.query(`SELECT count(*) AS rows FROM ${table}`);
    return Number(row?.rows ?? 0);
  }

  integerQuotient(expression: string, divisor: number): string {
    // Division of PostgreSQL integers truncates.
    return `((${expression}) / ${Math.trunc(divisor)})`;
  }

  async holdForLoad(onWait: () => void): Promise<void> {
    const [row] = await this.query(`SELECT pg_try_advisory_lock(${LOAD_LOCK_KEY}) AS held`);
    if (row?.held === true) return;
    onWait();
    await this.query(`SELECT pg_advisory_lock(${LOAD_LOCK_KEY})`);
  }

  async close(): Promise<void> {
    await this.#sql.end({ timeout: 5 });
  }
}

/**
 * A TCP connection without Nagle's delay: the client sends a COPY's last data
 * and its end as two small writes, and with the delay each table's COPY waited
 * some 40 ms for the server's delayed acknowledgement.
 */
function connectedSocket(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  });
}

/**
 * Connects to a PostgreSQL database for a load.
 *
 * @param target the server, database, user and password (see target.ts)
 * @returns the connection
 * @throws {Error} naming the server (never the password) when it cannot connect
 *
 * @example
 * ```ts ignore
 * import { openPostgres } from "./postgres.ts";
 * import { resolveTarget } from "./target.ts";
 *
 * const target = resolveTarget("postgres://lp@127.0.0.1:5432/history");
 * if (target.kind === "postgres") {
 *   const db = await openPostgres(target);
 *   console.log(await db.query("SELECT version()"));
 *   await db.close();
 * }
 * ```
 */
export async function openPostgres(target: PostgresTarget): Promise<LoadConnection> {
  const settings = {
    host: target.host,
    port: target.port,
    database: target.database,
    username: target.user,
    ...(target.password === undefined ? {} : { password: target.password }),
    ssl: sslOption(target.sslMode),
    // One connection for the whole load: its temporary tables and its lock live with it.
    max: 1,
    max_lifetime: null,
    idle_timeout: 0,
    connect_timeout: 30,
    onnotice: () => {},
    socket: () => connectedSocket(target.host, target.port),
    connection: { application_name: "lp-history load" },
  };
  // `socket` is a documented option its type declarations lack.
  const sql = postgres(settings as postgres.Options<Record<string, never>>);
  try {
    await sql.unsafe("SELECT 1");
  } catch (error) {
    await sql.end({ timeout: 1 }).catch(() => {});
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot connect to ${target.display}: ${message}`, { cause: error });
  }
  return new PostgresLoadConnection(sql);
}
