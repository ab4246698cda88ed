/** Every source's schema is consistent: names, keys, parents, paths, ids as text. */

import assert from "node:assert/strict";
import { SOURCES } from "../lib/sources/mod.ts";
import { schemaFromCatalogue } from "../lib/tables/catalogue.ts";
import { tableByName } from "../lib/tables/schema.ts";
import { ENGAGEMENT_HISTORY_SCHEMA } from "../lib/sources/engagement_history/tables.ts";

for (const { schema } of SOURCES) {
  Deno.test(`${schema.source}: unique table and column names, key columns everywhere, parents first`, () => {
    const names = schema.tables.map((table) => table.name);
    assert.equal(new Set(names).size, names.length);
    const seen = new Set<string>();
    for (const table of schema.tables) {
      const columns = table.columns.map((column) => column.name);
      assert.equal(new Set(columns).size, columns.length, `${table.name} repeats a column name`);
      for (const key of table.primaryKey) assert.ok(columns.includes(key), `${table.name}.${key}`);
      assert.equal(columns[0], schema.key.id, `${table.name} starts with ${schema.key.id}`);
      assert.ok(columns.includes(schema.key.start), `${table.name} has ${schema.key.start}`);
      assert.equal(columns.at(-1), "extra", `${table.name} ends with extra`);
      if (table.parent) {
        assert.ok(seen.has(table.parent.table), `${table.name}'s parent comes first`);
        const parent = tableByName(schema, table.parent.table);
        assert.deepEqual(table.parent.references, parent.primaryKey, `${table.name} → parent key`);
        for (const column of table.parent.columns) assert.ok(columns.includes(column));
      }
      seen.add(table.name);
      for (const column of table.columns) {
        assert.ok(column.description.length > 0, `${table.name}.${column.name} description`);
        if (column.role === "field") assert.ok(column.path, `${table.name}.${column.name} path`);
        if (/Id$|ID$/.test(column.name) && column.role !== "derived") {
          // Ids are text: a string column, or JSON text for a list of ids (answersId).
          assert.ok(["string", "json"].includes(column.type), `${table.name}.${column.name}`);
        }
      }
    }
  });
}

Deno.test("the Engagement History schema has a table for every node and SDE type", () => {
  for (
    const name of [
      "interaction",
      "transcript_lines",
      "line_scores",
      "surveys_prechat",
      "surveys_postchat",
      "surveys_operator",
      "cobrowse_sessions",
      "sde_customer_info",
      "sde_personal_info",
      "sde_marketing_campaign_info",
      "sde_cart_status",
      "sde_purchase",
      "sde_viewed_product",
      "sde_lead",
      "sde_service_activity",
      "sde_visitor_error",
      "sde_search_content",
      "sde_cart_status_products",
      "sde_purchase_products",
      "sde_viewed_product_products",
      "sde_personal_info_contacts",
      "sde_search_content_keywords",
      "sde_other",
    ]
  ) {
    assert.equal(tableByName(ENGAGEMENT_HISTORY_SCHEMA, name).name, name);
  }
  const article = tableByName(ENGAGEMENT_HISTORY_SCHEMA, "surveys_postchat").columns
    .map((column) => column.name);
  for (const name of ["engagementId", "startTime", "scope", "surveyID", "displayName", "source"]) {
    assert.ok(article.includes(name), `surveys_postchat keeps the article's ${name}`);
  }
  const products = tableByName(ENGAGEMENT_HISTORY_SCHEMA, "sde_purchase_products");
  assert.deepEqual(products.primaryKey, ["engagementId", "eventPosition", "position"]);
});

Deno.test("a catalogue column that is not well formed is refused with its table and name", () => {
  const catalogue = (column: Record<string, unknown>) => ({
    source: "demo",
    title: "Demo",
    recordNoun: "record",
    key: { id: "id", idDescription: "Id", start: "start", startDescription: "Start" },
    base: {
      name: "records",
      description: "One row per record",
      columns: [
        { at: "info.id", name: "id", type: "string", description: "Id" },
        { at: "info.start", name: "start", type: "lpTime", description: "Start" },
        column as { at: string; type: string; description: string },
      ],
    },
    lists: [],
  });
  const read = (column: Record<string, unknown>) =>
    schemaFromCatalogue(catalogue(column), { noValueTexts: [] });
  assert.equal(read({ at: "info.n", type: "integer", description: "N" }).tables.length, 1);
  assert.throws(
    () => read({ at: "info.n", type: "integer", descripton: "N" }),
    /records column "info\.n": unknown key "descripton"/,
  );
  assert.throws(
    () => read({ at: "info.n", name: "n", type: "integer", description: "" }),
    /records column "n": it needs a description/,
  );
  assert.throws(() => read({ name: "n", type: "string", description: "N" }), /"at" must be/);
});
