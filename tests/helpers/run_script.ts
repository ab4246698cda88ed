/**
 * Running the project's scripts as a user runs them: a separate process with
 * the permissions of its deno.json task, in a chosen folder, with a clean
 * environment.
 */

import { createHash } from "node:crypto";

const ROOT = new URL("../../", import.meta.url).pathname;
const CONFIG = `${ROOT}deno.json`;

/** The permission flags of a deno.json task. */
export function taskPermissions(task: string): string[] {
  const config = JSON.parse(Deno.readTextFileSync(CONFIG)) as { tasks: Record<string, string> };
  const command = config.tasks[task];
  if (command === undefined) throw new Error(`No task ${task} in deno.json`);
  return command.split(/\s+/).filter((part) => part.startsWith("--allow-") || part === "-A");
}

/** What a script run printed and how it ended. */
export interface ScriptResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@linkcode runScript} and {@linkcode spawnScript}. */
export interface RunScriptOptions {
  /** Working folder; default the project root. */
  readonly cwd?: string;
  /** The only environment variables the process gets (besides NO_COLOR and HOME). */
  readonly env?: Record<string, string>;
  /** The deno.json task whose permissions to grant; default the script's name. */
  readonly task?: string;
}

function command(script: string, args: readonly string[], options: RunScriptOptions) {
  const task = options.task ?? script;
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--config",
      CONFIG,
      ...taskPermissions(task),
      `${ROOT}scripts/${script}.ts`,
      ...args,
    ],
    env: {
      NO_COLOR: "1",
      HOME: Deno.env.get("HOME") ?? "/root",
      DENO_DIR: Deno.env.get("DENO_DIR") ?? "",
      ...options.env,
    },
    clearEnv: true,
    cwd: options.cwd ?? ROOT,
    stdout: "piped",
    stderr: "piped",
  });
}

/**
 * Runs `scripts/<script>.ts` with its task's permissions and waits for it.
 *
 * @param script the script's name, e.g. `tables`
 * @param args its arguments
 * @param options folder, environment, task
 * @returns exit code and output
 */
export async function runScript(
  script: string,
  args: readonly string[],
  options: RunScriptOptions = {},
): Promise<ScriptResult> {
  const output = await command(script, args, options).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

/**
 * Starts `scripts/<script>.ts` without waiting, for tests that kill it.
 *
 * @param script the script's name
 * @param args its arguments
 * @param options folder, environment, task
 * @returns the child process
 */
export function spawnScript(
  script: string,
  args: readonly string[],
  options: RunScriptOptions = {},
): Deno.ChildProcess {
  return command(script, args, options).spawn();
}

/**
 * Every file and folder below `dir` with the SHA-256 of each file, so that a
 * test can assert that nothing on disk changed.
 *
 * @param dir the folder
 * @returns relative path → file hash, or `dir` for a folder
 */
export async function treeHash(dir: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  async function walk(folder: string, prefix: string): Promise<void> {
    for await (const entry of Deno.readDir(folder)) {
      const path = `${folder}/${entry.name}`;
      const relative = `${prefix}${entry.name}`;
      if (entry.isDirectory) {
        result[relative] = "dir";
        await walk(path, `${relative}/`);
      } else {
        result[relative] = createHash("sha256").update(await Deno.readFile(path)).digest("hex");
      }
    }
  }
  await walk(dir, "");
  return Object.fromEntries(Object.entries(result).sort(([a], [b]) => a.localeCompare(b)));
}
