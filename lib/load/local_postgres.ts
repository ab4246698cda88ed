/**
 * A throwaway PostgreSQL server on 127.0.0.1, for tests and benchmarks: a
 * fresh cluster in a temporary folder (initdb), started on a free port with
 * a random password, and removed when stopped. It needs PostgreSQL's server
 * programs (Debian: `apt-get install postgresql`). PostgreSQL refuses to run
 * as root, so as root the cluster belongs to the `postgres` user (or
 * `nobody`) and its programs run as that user through `setpriv`.
 *
 * @module
 */

import { join } from "node:path";

/** A running throwaway server. */
export interface LocalPostgres {
  /** `postgres://lp@127.0.0.1:<port>/postgres`, without the password. */
  readonly url: string;
  readonly port: number;
  /** The password of user `lp`; pass it as `PGPASSWORD`. */
  readonly password: string;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
  /** The same, for an `unload` handler. */
  stopSync(): void;
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/**
 * Finds PostgreSQL's server programs: Debian's `/usr/lib/postgresql/<version>/bin`
 * (newest first), else a folder on `PATH` that holds `initdb`.
 *
 * @returns the folder, or undefined when PostgreSQL is not installed
 *
 * @example
 * ```ts
 * import { findPostgresPrograms } from "./local_postgres.ts";
 * const bin = findPostgresPrograms();
 * console.log(bin ?? "PostgreSQL is not installed");
 * ```
 */
export function findPostgresPrograms(): string | undefined {
  const candidates: string[] = [];
  try {
    const versions = [...Deno.readDirSync("/usr/lib/postgresql")]
      .map((entry) => entry.name)
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => `/usr/lib/postgresql/${version}/bin`));
  } catch {
    // Not Debian's layout.
  }
  candidates.push(...(Deno.env.get("PATH") ?? "").split(":").filter(Boolean));
  return candidates.find((dir) => isFile(join(dir, "initdb")) && isFile(join(dir, "pg_ctl")));
}

/** The user to run PostgreSQL as when we are root: `postgres`, else `nobody`. */
function serviceUser(): { uid: number; gid: number } | undefined {
  const passwd = Deno.readTextFileSync("/etc/passwd").split("\n").map((line) => line.split(":"));
  for (const name of ["postgres", "nobody"]) {
    const entry = passwd.find((fields) => fields[0] === name);
    if (entry) return { uid: Number(entry[2]), gid: Number(entry[3]) };
  }
  return undefined;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Options of {@linkcode startLocalPostgres}. */
export interface StartLocalPostgresOptions {
  /**
   * Skip flushing to disk (fine for tests, where a crash of the machine loses
   * nothing of value); default false, as a benchmark should measure real commits.
   */
  readonly noSync?: boolean;
}

/**
 * Creates and starts a throwaway PostgreSQL server.
 *
 * @param options durability settings
 * @returns the running server
 * @throws {Error} saying why when PostgreSQL is missing or does not start
 *
 * @example
 * ```ts ignore
 * import { startLocalPostgres } from "./local_postgres.ts";
 *
 * const server = await startLocalPostgres({ noSync: true });
 * console.log(server.url);
 * await server.stop();
 * ```
 */
export async function startLocalPostgres(
  options: StartLocalPostgresOptions = {},
): Promise<LocalPostgres> {
  const bin = findPostgresPrograms();
  if (!bin) throw new Error("PostgreSQL's server programs (initdb, pg_ctl) are not installed");
  const asUser = Deno.uid() === 0 ? serviceUser() : undefined;
  if (Deno.uid() === 0 && !asUser) {
    throw new Error("Running as root with no postgres or nobody user to run PostgreSQL as");
  }
  const dir = await Deno.makeTempDir({ prefix: "lp-postgres-" });
  const data = join(dir, "data");
  const password = crypto.randomUUID();
  const run = (program: string, args: string[]) => {
    const command = asUser
      ? new Deno.Command("setpriv", {
        args: [
          `--reuid=${asUser.uid}`,
          `--regid=${asUser.gid}`,
          "--clear-groups",
          "--",
          join(bin, program),
          ...args,
        ],
        stdout: "piped",
        stderr: "piped",
      })
      : new Deno.Command(join(bin, program), { args, stdout: "piped", stderr: "piped" });
    return command;
  };
  const check = async (program: string, args: string[]) => {
    const output = await run(program, args).output();
    if (!output.success) {
      throw new Error(
        `${program} failed: ${new TextDecoder().decode(output.stderr).trim().slice(0, 500)}`,
      );
    }
  };
  try {
    await Deno.writeTextFile(join(dir, "password"), password);
    if (asUser) {
      await Deno.chown(dir, asUser.uid, asUser.gid);
      await Deno.chown(join(dir, "password"), asUser.uid, asUser.gid);
    }
    await check("initdb", [
      "-D",
      data,
      "-U",
      "lp",
      "--auth=scram-sha-256",
      `--pwfile=${join(dir, "password")}`,
      "--no-sync",
      "--no-locale",
      "-E",
      "UTF8",
    ]);
    const port = freePort();
    const settings = [
      `-p ${port}`,
      "-c listen_addresses=127.0.0.1",
      "-c unix_socket_directories=''",
      ...(options.noSync ? ["-c fsync=off", "-c synchronous_commit=off"] : []),
    ];
    await check("pg_ctl", [
      "start",
      "-D",
      data,
      "-w",
      "-t",
      "60",
      "-l",
      join(dir, "server.log"),
      "-o",
      settings.join(" "),
    ]);
    let stopped = false;
    const stopArgs = ["stop", "-D", data, "-m", "immediate", "-w"];
    return {
      url: `postgres://lp@127.0.0.1:${port}/postgres`,
      port,
      password,
      async stop() {
        if (stopped) return;
        stopped = true;
        await run("pg_ctl", stopArgs).output();
        await Deno.remove(dir, { recursive: true }).catch(() => {});
      },
      stopSync() {
        if (stopped) return;
        stopped = true;
        run("pg_ctl", stopArgs).outputSync();
        try {
          Deno.removeSync(dir, { recursive: true });
        } catch {
          // Already gone.
        }
      },
    };
  } catch (error) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw error;
  }
}
