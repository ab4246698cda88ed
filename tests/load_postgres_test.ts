/**
 * Loading both sources into a real PostgreSQL server (a throwaway one on
 * 127.0.0.1), where the foreign keys are enforced; SKIPPED where PostgreSQL
 * is not installed.
 */

import assert from "node:assert/strict";
import { loadTables, openDatabase } from "../lib/load/load_tables.ts";
import { ENGAGEMENT_HISTORY_SOURCE } from "../lib/sources/engagement_history/mod.ts";
import { defineLoadTests } from "./helpers/load_checks.ts";
import { simulatedRecords, writeExport } from "./helpers/load_fixture.ts";
import { createPostgresDatabase, POSTGRES } from "./helpers/postgres.ts";

defineLoadTests(
  "PostgreSQL",
  POSTGRES && {
    create: (_dir, name) => createPostgresDatabase(name),
    epochMs: (column) => `CAST(EXTRACT(EPOCH FROM ${column}) * 1000 AS BIGINT)`,
    textType: "text",
    timestampType: "timestamp with time zone",
  },
);

Deno.test({
  name: "PostgreSQL: the foreign keys are enforced: a child row without its parent is refused",
  ignore: POSTGRES === undefined,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "lp-load-fk-" });
    try {
      const source = ENGAGEMENT_HISTORY_SOURCE;
      const tablesDir = await writeExport(dir, [{ source, records: simulatedRecords(source, 20) }]);
      const { target } = await createPostgresDatabase("fk");
      await loadTables({ inDir: tablesDir, target });
      const db = await openDatabase(target);
      try {
        await assert.rejects(
          () =>
            db.execute(
              `INSERT INTO engagement_history.transcript_lines ("engagementId", "startTime", position) ` +
                `VALUES ('no-such-engagement', now(), 0)`,
            ),
          /foreign key constraint "transcript_lines_parent_fk"/,
        );
        const [row] = await db.query(
          `SELECT count(*) AS fks FROM information_schema.table_constraints ` +
            `WHERE constraint_schema = 'engagement_history' AND constraint_type = 'FOREIGN KEY'`,
        );
        assert.equal(Number(row?.fks), source.schema.tables.length - 1);
      } finally {
        await db.close();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
