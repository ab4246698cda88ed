/**
 * A source: one LivePerson history API, described whole — how to fetch it,
 * how its records become tables, and how the simulator serves it. Each source
 * lives in its own folder of lib/sources/ and is registered once, in
 * lib/sources/mod.ts.
 *
 * @module
 */

import type { HistoryApi } from "../fetch/history_api.ts";
import type { SimulatedApi } from "../simulator/simulated_api.ts";
import type { SourceSchema } from "../tables/schema.ts";

/** One LivePerson history API. */
export interface Source {
  /** Stable name: the folder of its raw pages and of its tables (`engagement-history`). */
  readonly name: string;
  /** For people (`Engagement History (chat)`). */
  readonly title: string;
  /** What the fetcher needs to know of the API. */
  readonly api: HistoryApi;
  /** Its tables. */
  readonly schema: SourceSchema;
  /** The API as the simulator serves it, written independently of `api`. */
  readonly simulated: SimulatedApi;
}
