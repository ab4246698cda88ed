/**
 * Loading both sources into the embedded default, a DuckDB file.
 */

import { defineLoadTests } from "./helpers/load_checks.ts";

defineLoadTests("DuckDB", {
  create: (dir, name) =>
    Promise.resolve({
      target: { kind: "duckdb", path: `${dir}/${name}.duckdb` },
      env: {},
    }),
  epochMs: (column) => `epoch_ms(${column})`,
  textType: "varchar",
  timestampType: "timestamp with time zone",
});
