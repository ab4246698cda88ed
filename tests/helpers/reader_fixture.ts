/**
 * Tables of both sources built from the simulator, with one text cell that is
 * the empty string and one that is null in the same column, for the reader
 * tests: an empty transcript line and a line without text (Engagement
 * History), an empty message and a message without text (Messaging).
 *
 * @module
 */

import { importPages } from "../../lib/fetch/import_pages.ts";
import { ENGAGEMENT_HISTORY_SOURCE } from "../../lib/sources/engagement_history/mod.ts";
import { generateEngagements } from "../../lib/sources/engagement_history/simulator/dataset.ts";
import { MESSAGING_SOURCE } from "../../lib/sources/messaging/mod.ts";
import { conversationsIn } from "../../lib/sources/messaging/simulator/mod.ts";
import type { Source } from "../../lib/sources/source.ts";
import { buildTables } from "../../lib/tables/build.ts";

type Json = Record<string, unknown>;

/** A cell the fixture set: the table, the row's key values, the column and its value. */
export interface FixtureCell {
  readonly table: string;
  readonly key: Readonly<Record<string, string>>;
  readonly column: string;
  readonly value: "" | null;
}

/** One source's tables and the cells set on purpose. */
export interface SourceFixture {
  readonly source: Source;
  /** The source's tables folder (with `_schema.json`). */
  readonly dir: string;
  readonly cells: readonly FixtureCell[];
}

/** The sources, in the order of {@linkcode buildReaderFixture}'s result. */
export const FIXTURE_SOURCES = [ENGAGEMENT_HISTORY_SOURCE, MESSAGING_SOURCE] as const;

const DATASET = { count: 240, from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 0, 8), seed: 5 };

function engagementRecords(): { records: Json[]; cells: FixtureCell[] } {
  const records = generateEngagements(DATASET) as unknown as Json[];
  const record = records.find((candidate) =>
    ((candidate.transcript as Json | undefined)?.lines as unknown[] | undefined ?? []).length >= 2
  )!;
  const lines = (record.transcript as Json).lines as Json[];
  lines[0]!.text = "";
  delete lines[1]!.text;
  const engagementId = String((record.info as Json).engagementId);
  const key = (position: number) => ({ engagementId, position: String(position) });
  return {
    records,
    cells: [
      { table: "transcript_lines", key: key(0), column: "text", value: "" },
      { table: "transcript_lines", key: key(1), column: "text", value: null },
    ],
  };
}

function messagingRecords(): { records: Json[]; cells: FixtureCell[] } {
  const records = conversationsIn(DATASET, DATASET.from, DATASET.to) as unknown as Json[];
  for (const record of records) {
    const messages = (record.messageRecords as Json[] | undefined) ?? [];
    const plain = messages.filter((message) =>
      message.type === "TEXT_PLAIN" &&
      typeof ((message.messageData as Json | undefined)?.msg as Json | undefined)?.text ===
        "string"
    );
    if (plain.length < 2) continue;
    const [empty, missing] = plain as [Json, Json];
    ((empty.messageData as Json).msg as Json).text = "";
    delete ((missing.messageData as Json).msg as Json).text;
    const conversationId = String((record.info as Json).conversationId);
    const key = (message: Json) => ({ conversationId, messageId: String(message.messageId) });
    return {
      records,
      cells: [
        { table: "messages", key: key(empty), column: "text", value: "" },
        { table: "messages", key: key(missing), column: "text", value: null },
      ],
    };
  }
  throw new Error("no simulated conversation has two plain text messages");
}

/** Pages of 100 records, as the API sends them. */
function pagesOf(source: Source, records: readonly Json[]): Uint8Array[] {
  const pages = [];
  for (let offset = 0; offset < records.length; offset += 100) {
    const page = records.slice(offset, offset + 100);
    const body = { _metadata: { count: page.length }, [source.api.recordsField]: page };
    pages.push(new TextEncoder().encode(JSON.stringify(body)));
  }
  return pages;
}

/**
 * Builds the tables of both sources (CSV and Parquet) in a new temporary folder.
 *
 * @returns the folder (remove it when done) and each source's fixture
 */
export async function buildReaderFixture(): Promise<
  { root: string; sources: readonly SourceFixture[] }
> {
  const root = await Deno.makeTempDir({ prefix: "readers_" });
  const built: SourceFixture[] = [];
  const plan = [
    [ENGAGEMENT_HISTORY_SOURCE, engagementRecords()],
    [MESSAGING_SOURCE, messagingRecords()],
  ] as const;
  for (const [source, { records, cells }] of plan) {
    await importPages(`${root}/raw`, source.api, pagesOf(source, records));
    await buildTables({
      source,
      inDir: `${root}/raw`,
      outDir: `${root}/tables`,
      formats: ["csv", "parquet"],
      otherSources: plan.map(([other]) => other.name).filter((name) => name !== source.name),
    });
    built.push({ source, dir: `${root}/tables/${source.name}`, cells });
  }
  return { root, sources: built };
}
