/**
 * What the generic simulator server needs from a simulated history API: the
 * paths it answers, how it answers a request over its dataset, and its final
 * records for tests. Each source's simulator folder implements it; the server
 * adds the Domain API, faults, OAuth checks, the account check and the log.
 *
 * @module
 */

import type { DatasetOptions } from "./dataset_options.ts";

/** A request the API would reject with 400; the message says what to fix. */
export class SimulatedRequestError extends Error {
  /** HTTP status to answer with. */
  readonly status: number;
  /**
   * @param message what was wrong and how to fix it
   * @param status the status, 400 unless said otherwise
   */
  constructor(message: string, status = 400) {
    super(message);
    this.name = "SimulatedRequestError";
    this.status = status;
  }
}

/** A request, after the server's own checks, for one endpoint of a simulated API. */
export interface SimulatedRequest {
  /** Which endpoint, as {@linkcode SimulatedApi.match} named it (e.g. `search`, `byId`). */
  readonly endpoint: string;
  /** The query parameters. */
  readonly params: URLSearchParams;
  /** The request body as text. */
  readonly body: string;
  /** Absolute URL of the endpoint without query, for `_metadata` hrefs. */
  readonly href: string;
  /** The simulator's time, epoch ms. */
  readonly now: number;
}

/** What the log of searches records about a request. */
export interface RequestFacts {
  /** `offset` query parameter (NaN when it was not a number). */
  readonly offset: number;
  /** `limit` query parameter (NaN when it was not a number). */
  readonly limit: number;
  /** Start of the time range the body asked for, as sent (NaN when missing). */
  readonly from: number;
  /** End of the time range the body asked for, as sent (NaN when missing). */
  readonly to: number;
  /** The record key asked for, for a request by key. */
  readonly id?: string;
  /** `latestUpdateTime.from` the body asked for: records changed since then. */
  readonly updatedSince?: number;
}

/** The answer to a request: a status (200 or 204) and, for 200, a JSON body. */
export interface SimulatedAnswer {
  readonly status: 200 | 204;
  /** The response body; its records lie under the API's `recordsField`. */
  readonly body?: Record<string, unknown>;
}

/** One simulated history API. */
export interface SimulatedApi {
  /** The API's name, as the client's source name (`engagement-history`). */
  readonly name: string;
  /** Domain API service name that yields its host (`engHistDomain`). */
  readonly serviceName: string;
  /** Field of a response body that holds the records. */
  readonly recordsField: string;
  /**
   * Which endpoint a path is, and for which account; undefined for a path this
   * API does not serve.
   */
  match(path: string): { readonly endpoint: string; readonly accountId: string } | undefined;
  /** The facts the log records, read from the request as sent (never throws). */
  facts(request: Pick<SimulatedRequest, "endpoint" | "params" | "body">): RequestFacts;
  /**
   * Answers a request over the dataset as it stands at `request.now`.
   *
   * @throws {SimulatedRequestError} for a request the real API would reject
   */
  answer(request: SimulatedRequest, dataset: DatasetOptions): SimulatedAnswer;
  /** The final form of the records whose start time lies in `[from, to)`, in start order. */
  records(dataset: DatasetOptions, from: number, to: number): Record<string, unknown>[];
}
