/**
 * `deno task load` as a user runs it (its task's permissions, a separate
 * process), and the notebooks' query helper on the database it wrote.
 */

import assert from "node:assert/strict";
import { queryDatabase } from "../lib/notebook/database.ts";
import { ENGAGEMENT_HISTORY_SOURCE } from "../lib/sources/engagement_history/mod.ts";
import { simulatedRecords, writeExport } from "./helpers/load_fixture.ts";
import { runScript } from "./helpers/run_script.ts";

Deno.test("deno task load writes the DuckDB default, reports the rows, and a notebook can query it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lp-load-cli-" });
  try {
    const source = ENGAGEMENT_HISTORY_SOURCE;
    const records = simulatedRecords(source, 120);
    await writeExport(`${dir}/export`, [{ source, records }]);
    await Deno.rename(`${dir}/export/tables`, `${dir}/data-tables`);
    const result = await runScript("load", ["--in", `${dir}/data-tables`], {
      cwd: dir,
      env: {},
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /engagement-history → engagement_history: 120 records \(120 new, 0 replaced\)/,
    );
    const path = `${dir}/data/lp-history.duckdb`;
    const df = await queryDatabase(
      `SELECT "engagementId", "startTime", duration FROM engagement_history.interaction ` +
        `ORDER BY "startTime" LIMIT 3;`,
      { path },
    );
    assert.equal(df.height, 3);
    assert.equal(df.getColumn("engagementId").dtype.variant, "String");
    assert.equal(df.getColumn("startTime").dtype.variant, "Datetime");
    assert.equal(df.getColumn("duration").dtype.variant, "Int64");
    const runs = await queryDatabase("SELECT status FROM lp_history.load_runs", { path });
    assert.deepEqual(runs.getColumn("status").toArray(), ["succeeded"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task load refuses a password on the command line without showing it, and a file that is not a database", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lp-load-cli-" });
  try {
    const secret = "hunter2-secret";
    const withPassword = await runScript(
      "load",
      ["--in", dir, "--db", `postgres://analyst:${secret}@127.0.0.1:1/history`],
      { cwd: dir, env: {} },
    );
    assert.equal(withPassword.code, 2);
    assert.match(withPassword.stderr, /holds a password.*PGPASSWORD or ~\/\.pgpass/);
    assert.ok(!`${withPassword.stdout}${withPassword.stderr}`.includes(secret));

    await Deno.writeTextFile(`${dir}/notes.duckdb`, "my notes, not a database\n");
    const notDatabase = await runScript("load", ["--in", dir, "--db", `${dir}/notes.duckdb`], {
      cwd: dir,
      env: {},
    });
    assert.equal(notDatabase.code, 2);
    assert.match(notDatabase.stderr, /is not a DuckDB database/);
    assert.equal(await Deno.readTextFile(`${dir}/notes.duckdb`), "my notes, not a database\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
