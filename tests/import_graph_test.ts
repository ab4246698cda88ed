/**
 * The client and the simulator check each other, so neither may import the
 * other: no module the fetcher loads reaches a simulator module, and no
 * simulator module reaches a client module (the fetcher, a source's API
 * description, the tables step). The notebook layer reads tables only.
 */

import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";

const ROOT = new URL("../", import.meta.url).pathname;

/** Modules a file imports for their values (`import type` is a compile-time link only). */
function valueImports(file: string): string[] {
  const text = Deno.readTextFileSync(file);
  const imports: string[] = [];
  const pattern = /^(?:import|export)(?!\s+type\b)[^;]*?from\s+"(\.{1,2}\/[^"]+)";/gms;
  for (const match of text.matchAll(pattern)) imports.push(join(dirname(file), match[1]!));
  return imports;
}

/** Every module `file` reaches through value imports, itself included. */
function reachable(file: string): Set<string> {
  const seen = new Set<string>();
  const queue = [file];
  while (queue.length > 0) {
    const next = queue.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...valueImports(next));
  }
  return seen;
}

function filesUnder(folder: string): string[] {
  const files: string[] = [];
  for (const entry of Deno.readDirSync(folder)) {
    const path = join(folder, entry.name);
    if (entry.isDirectory) files.push(...filesUnder(path));
    else if (entry.name.endsWith(".ts")) files.push(path);
  }
  return files;
}

// lib/sources/common/simulator/, shared by the SDE-carrying sources' simulators, is one too.
const isSimulator = (path: string) =>
  /\/lib\/simulator\//.test(path) || /\/lib\/sources\/[^/]+\/simulator\//.test(path);
// lib/sources/common/*.ts, outside its simulator/ folder, serves the sources' table catalogues.
const isClient = (path: string) =>
  /\/lib\/fetch\//.test(path) || /\/lib\/tables\//.test(path) ||
  /\/lib\/sources\/[^/]+\/(api|tables[^/]*)\.ts$/.test(path) ||
  /\/lib\/sources\/common\/[^/]+\.ts$/.test(path);

Deno.test("no client module reaches a simulator module", () => {
  const clients = filesUnder(join(ROOT, "lib")).filter(isClient);
  assert.ok(clients.length > 20);
  for (const client of clients) {
    const reached = [...reachable(client)].filter(isSimulator);
    assert.deepEqual(reached.map((path) => relative(ROOT, path)), [], relative(ROOT, client));
  }
});

Deno.test("no simulator module reaches a client module", () => {
  const simulators = filesUnder(join(ROOT, "lib")).filter(isSimulator);
  assert.ok(simulators.length > 10);
  for (const simulator of simulators) {
    const reached = [...reachable(simulator)].filter(isClient);
    assert.deepEqual(reached.map((path) => relative(ROOT, path)), [], relative(ROOT, simulator));
  }
});

Deno.test("the notebook layer reads tables and reaches neither the fetcher, the simulator nor the demo", () => {
  const notebookModules = filesUnder(join(ROOT, "lib/notebook"));
  assert.ok(notebookModules.length > 5);
  const forbidden = (path: string) =>
    isSimulator(path) || /\/lib\/fetch\//.test(path) || path.endsWith("/lib/demo.ts");
  for (const module of notebookModules) {
    const reached = [...reachable(module)].filter(forbidden);
    assert.deepEqual(reached.map((path) => relative(ROOT, path)), [], relative(ROOT, module));
  }
});

Deno.test("the shared SDE simulator counts as simulator, the shared SDE tables as client", () => {
  assert.ok(isSimulator(join(ROOT, "lib/sources/common/simulator/sde_payloads.ts")));
  assert.ok(!isClient(join(ROOT, "lib/sources/common/simulator/sde_payloads.ts")));
  assert.ok(isClient(join(ROOT, "lib/sources/common/sde_tables.ts")));
  assert.ok(!isSimulator(join(ROOT, "lib/sources/common/sde_tables.ts")));
});

Deno.test("the import scanner sees value imports and skips type imports", () => {
  const file = join(ROOT, "lib/sources/engagement_history/mod.ts");
  const imports = valueImports(file).map((path) => relative(ROOT, path));
  assert.ok(imports.includes("lib/sources/engagement_history/api.ts"));
  assert.ok(!imports.includes("lib/sources/source.ts"), "a type import is not followed");
});
