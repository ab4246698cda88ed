/**
 * The SDE (engagement attribute) tables, alike in every LivePerson history
 * API: one table per event type on a shared list of events, tables for their
 * products, contacts and keywords, and `<prefix>_other` for events of types
 * the catalogue does not know. The types and their columns are data, in
 * sde_types.json; how an event becomes a row is in sde_rows.ts.
 *
 * @module
 */

import {
  type CatalogueColumn,
  catalogueColumns,
  type CatalogueList,
} from "../../tables/catalogue.ts";
import type { FieldColumn, ListTableSpec } from "../../tables/schema.ts";
import { NO_VALUE_TEXTS } from "./no_value.ts";
import { EVENT_FIELDS, sdeEventSelector, TYPE_KEY } from "./sde_rows.ts";
import SDE_TYPES from "./sde_types.json" with { type: "json" };

/** One SDE type as sde_types.json describes it. */
interface SdeType {
  /** The documented type key (`cartStatus`). */
  readonly type: string;
  /** For descriptions (`cart status`). */
  readonly label: string;
  /** Other spellings of the type key seen in the docs. */
  readonly aliases?: readonly string[];
  /** Inner object that repeats the type key (`lead.lead`). */
  readonly wrapper?: string;
  readonly columns: readonly CatalogueColumn[];
  /** Lists inside the payload, each a table named `<type's table>_<name>`. */
  readonly lists?: readonly Omit<CatalogueList, "parent">[];
}

/** Options of {@linkcode sdeTables}. */
export interface SdeTablesOptions {
  /** The table whose row object holds the list of events (the base table). */
  readonly parent: string;
  /** Dotted path of the list of events (`sdes.events`). */
  readonly list: string;
  /** Start of the table names (`sde` → `sde_cart_status`). */
  readonly prefix: string;
  /** Added to each description, e.g. which kind of SDE the list holds. */
  readonly note?: string;
}

const isEventLevel = (column: CatalogueColumn) => column.at.startsWith(`${EVENT_FIELDS}.`);
/** Columns of every event table read from the event itself. */
const EVENT_COLUMNS = SDE_TYPES.eventColumns.filter(isEventLevel);
/** Columns of every event table read from the payload (its times). */
const PAYLOAD_COLUMNS = SDE_TYPES.eventColumns.filter((column) => !isEventLevel(column));

/** `cartStatus` → `cart_status`: table names are snake_case, SDE type keys camelCase. */
function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function columns(table: string, list: readonly CatalogueColumn[]): FieldColumn[] {
  return list.flatMap((column) => catalogueColumns(column, table, NO_VALUE_TEXTS));
}

/**
 * The SDE tables of one list of events, parents before children.
 *
 * @param options parent table, list path and table-name prefix
 * @returns the list tables, for a catalogue's `lists`
 *
 * @example
 * ```ts
 * import { sdeTables } from "./sde_tables.ts";
 * import assert from "node:assert/strict";
 * const tables = sdeTables({ parent: "interaction", list: "sdes.events", prefix: "sde" });
 * const names = tables.map((table) => table.name);
 * assert.ok(names.includes("sde_cart_status") && names.includes("sde_cart_status_products"));
 * assert.equal(names.at(-1), "sde_other");
 * ```
 */
export function sdeTables(options: SdeTablesOptions): ListTableSpec[] {
  const displayPrefixes = { [EVENT_FIELDS]: `${options.list}[]` };
  const note = options.note ? `; ${options.note}` : "";
  const tables: ListTableSpec[] = [];
  for (const sde of SDE_TYPES.types as readonly SdeType[]) {
    const name = `${options.prefix}_${snakeCase(sde.type)}`;
    const typeKeys = [sde.type, ...(sde.aliases ?? [])];
    const typeKey: FieldColumn = {
      name: "event_typeKey",
      type: "string",
      role: "derived",
      description: `Key the event used (${typeKeys.join(" or ")})`,
      at: TYPE_KEY,
      source: "the event's type key",
    };
    const aliasNote = sde.aliases?.length ? ` (also sent as ${sde.aliases.join(", ")})` : "";
    tables.push({
      name,
      description: `One row per ${sde.label} SDE event${aliasNote}${note}`,
      parent: options.parent,
      list: options.list,
      rowPath: `${options.list}[].${sde.type}`,
      select: sdeEventSelector({ typeKeys, ...(sde.wrapper ? { wrapper: sde.wrapper } : {}) }),
      positionAs: "eventPosition",
      displayPrefixes,
      // The event's own fields, the type key it used, then the payload's fields.
      columns: [
        ...columns(name, EVENT_COLUMNS),
        typeKey,
        ...columns(name, [...PAYLOAD_COLUMNS, ...sde.columns]),
      ],
    });
    for (const list of sde.lists ?? []) {
      const childName = `${name}_${list.name}`;
      tables.push({
        name: childName,
        description: list.description,
        parent: name,
        list: list.list,
        columns: columns(childName, list.columns),
      });
    }
  }
  tables.push({
    name: `${options.prefix}_other`,
    description: `One row per SDE event of a type this schema does not know${note}`,
    parent: options.parent,
    list: options.list,
    catchAll: true,
    columns: [{
      name: "event",
      type: "json",
      role: "field",
      description: "The whole event, as JSON",
      at: "",
    }],
  });
  return tables;
}
