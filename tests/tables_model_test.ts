/** The table model is consistent: names, keys and paths. */

import assert from "node:assert/strict";
import { ENGAGEMENT_HISTORY_TABLES, tableByName } from "../lib/tables/model.ts";

Deno.test("ENGAGEMENT_HISTORY_TABLES has unique table and column names and valid keys", () => {
  const names = ENGAGEMENT_HISTORY_TABLES.map((table) => table.name);
  assert.equal(new Set(names).size, names.length);
  for (const table of ENGAGEMENT_HISTORY_TABLES) {
    const columns = table.columns.map((column) => column.name);
    assert.equal(new Set(columns).size, columns.length, `${table.name} repeats a column name`);
    for (const key of table.primaryKey) assert.ok(columns.includes(key), `${table.name}.${key}`);
    assert.equal(columns[0], "engagementId", `${table.name} starts with engagementId`);
    assert.ok(columns.includes("startTime"), `${table.name} has startTime`);
    assert.equal(columns.at(-1), "extra", `${table.name} ends with extra`);
    for (const column of table.columns) {
      assert.ok(column.description.length > 0, `${table.name}.${column.name} description`);
      if (column.role === "field") assert.ok(column.path, `${table.name}.${column.name} path`);
      if (/Id$|ID$/.test(column.name) && column.role === "field") {
        // Ids are text: a string column, or JSON text for a list of ids (answersId).
        assert.ok(["string", "json"].includes(column.type), `${table.name}.${column.name}`);
      }
    }
  }
});

Deno.test("ENGAGEMENT_HISTORY_TABLES has a table for every node and SDE type", () => {
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
    ]
  ) {
    assert.ok(tableByName(name));
  }
  const article = tableByName("surveys_postchat").columns.map((column) => column.name);
  for (const name of ["engagementId", "startTime", "scope", "surveyID", "displayName", "source"]) {
    assert.ok(article.includes(name), `surveys_postchat keeps the article's ${name}`);
  }
});
