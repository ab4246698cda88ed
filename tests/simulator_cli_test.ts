import assert from "node:assert/strict";
import { environmentLines, parseSimulatorArgs } from "../scripts/simulator.ts";
import { DEMO_CREDENTIALS } from "../lib/simulator/server.ts";

const SCRIPT = new URL("../scripts/simulator.ts", import.meta.url).pathname;

function runScript(args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net=127.0.0.1", "--allow-read", "--allow-env", SCRIPT, ...args],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

Deno.test("parseSimulatorArgs() reads days as UTC with an inclusive --to and defaults to port 8080", () => {
  const command = parseSimulatorArgs(["--from", "2024-02-01", "--to", "2024-02-29"]);
  assert.ok(command !== "help");
  assert.equal(command.port, 8080);
  assert.deepEqual(command.dataset, {
    from: Date.UTC(2024, 1, 1),
    to: Date.UTC(2024, 2, 1),
    count: 1200,
    seed: 1,
  });
  assert.equal(parseSimulatorArgs(["--help"]), "help");
});

Deno.test("parseSimulatorArgs() names the bad option and the fix", () => {
  assert.throws(() => parseSimulatorArgs(["--port", "70000"]), /--port "70000".*e\.g\. --port/);
  assert.throws(() => parseSimulatorArgs(["--count", "1.5"]), /--count/);
  assert.throws(() => parseSimulatorArgs(["--from", "2024-13-01"]), /--from/);
  assert.throws(() => parseSimulatorArgs(["--rate-5xx", "-0.1"]), /--rate-5xx/);
  assert.throws(
    () => parseSimulatorArgs(["--rate-429", "0.6", "--rate-drop", "0.6"]),
    /add up to/,
  );
  assert.throws(() => parseSimulatorArgs(["--nope"]), /--help/);
});

Deno.test("environmentLines() lists the base URL and every demo credential", () => {
  const lines = environmentLines("http://127.0.0.1:9");
  assert.ok(lines.includes("LP_BASE_URL=http://127.0.0.1:9"));
  assert.ok(lines.includes(`LP_ACCOUNT_ID=${DEMO_CREDENTIALS.accountId}`));
  assert.ok(lines.includes(`LP_ACCESS_TOKEN_SECRET=${DEMO_CREDENTIALS.accessTokenSecret}`));
});

Deno.test("scripts/simulator.ts exits 2 with a one-line error for bad input", async () => {
  const { code, stdout, stderr } = await runScript(["--latency-ms", "soon"]).output();
  const message = new TextDecoder().decode(stderr).trim();
  assert.equal(code, 2);
  assert.equal(new TextDecoder().decode(stdout), "");
  assert.equal(message.split("\n").length, 1);
  assert.match(message, /--latency-ms "soon"/);
});

Deno.test("scripts/simulator.ts --help explains every option with an example", async () => {
  const { code, stdout } = await runScript(["--help"]).output();
  const help = new TextDecoder().decode(stdout);
  assert.equal(code, 0);
  for (
    const option of [
      "--port",
      "--count",
      "--from",
      "--to",
      "--seed",
      "--rate-429",
      "--rate-5xx",
      "--rate-drop",
      "--rate-partial",
      "--latency-ms",
      "Example:",
    ]
  ) {
    assert.ok(help.includes(option), option);
  }
});

Deno.test("scripts/simulator.ts serves until Ctrl-C and prints the client's environment", async () => {
  const child = runScript(["--port", "0", "--count", "20"]);
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let printed = "";
  while (!printed.includes("Ctrl-C")) {
    const { value, done } = await reader.read();
    if (done) break;
    printed += value;
  }
  const baseUrl = /^LP_BASE_URL=(.*)$/m.exec(printed)?.[1];
  assert.ok(baseUrl, printed);
  const response = await fetch(
    `${baseUrl}/api/account/${DEMO_CREDENTIALS.accountId}/service/engHistDomain/baseURI.json`,
  );
  assert.equal((await response.json()).baseURI, new URL(baseUrl).host);
  child.kill("SIGINT");
  await reader.cancel();
  await child.stderr.cancel();
  assert.equal((await child.status).code, 0);
});
