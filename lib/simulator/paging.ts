/**
 * The page envelope every LivePerson history API answers with: the records
 * under the API's records field, and `_metadata` with the total `count` and
 * `self`, `next` (while more follow) and `last` links that page by `offset`.
 *
 * @module
 */

/** A `_metadata` link. */
export interface PageLink<Rel extends string> {
  readonly rel: Rel;
  readonly href: string;
}

/** The `_metadata` of a page. */
export interface PageMetadata {
  /** How many records match, over all pages. */
  readonly count: number;
  readonly self: PageLink<"self">;
  /** Present while more records follow this page. */
  readonly next?: PageLink<"next">;
  readonly last: PageLink<"last">;
  /** Always complete: the simulator has no shards to lose. */
  readonly shardsStatusResult: { readonly partialResult: boolean };
}

/** A page: its `_metadata` and its records under `Field`. */
export type Page<Field extends string> =
  & { readonly _metadata: PageMetadata }
  & { readonly [name in Field]: Record<string, unknown>[] };

/** Where a page lies in the whole answer, and the endpoint its links point to. */
export interface PagePlace {
  /** How many records match, over all pages. */
  readonly count: number;
  /** The `offset` asked for. */
  readonly offset: number;
  /** The `limit` asked for. */
  readonly limit: number;
  /** Absolute URL of the endpoint without query. */
  readonly href: string;
}

/**
 * Wraps a page's records in the envelope: `count`, `self`, `next` while
 * more follow, `last`.
 *
 * @param recordsField the field that holds the records (`conversationHistoryRecords`)
 * @param records the page's records
 * @param place the total count, the offset and limit asked for, and the endpoint's URL
 * @returns the page, `_metadata` first
 *
 * @example
 * ```ts
 * import { pageOf } from "./paging.ts";
 * import assert from "node:assert/strict";
 * const page = pageOf("records", [], { count: 120, offset: 50, limit: 50, href: "http://h/s" });
 * assert.equal(page._metadata.next?.href, "http://h/s?limit=50&offset=100");
 * assert.equal(page._metadata.last.href, "http://h/s?limit=50&offset=100");
 * assert.deepEqual(page.records, []);
 * ```
 */
export function pageOf<Field extends string>(
  recordsField: Field,
  records: Record<string, unknown>[],
  place: PagePlace,
): Page<Field> {
  const { count, offset, limit } = place;
  const href = (at: number) => `${place.href}?limit=${limit}&offset=${at}`;
  const lastOffset = count === 0 ? 0 : Math.floor((count - 1) / limit) * limit;
  return {
    _metadata: {
      count,
      self: { rel: "self", href: href(offset) },
      ...(offset + limit < count
        ? { next: { rel: "next" as const, href: href(offset + limit) } }
        : {}),
      last: { rel: "last", href: href(lastOffset) },
      shardsStatusResult: { partialResult: false },
    },
    [recordsField]: records,
  } as Page<Field>;
}
