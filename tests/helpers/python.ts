/**
 * Running the Python read recipes: finding a python3 that has pandas (Debian's
 * python3-pandas lives under /usr/bin, beside any other python3 on the PATH),
 * checking Python syntax, and running a recipe to get every table's column
 * types and values back as JSON.
 *
 * @module
 */

/** A table as pandas read it: dtypes and values (integers as digits, times as epoch ms). */
export interface PythonTable {
  readonly dtypes: Record<string, string>;
  readonly values: Record<string, (string | number | boolean | null)[]>;
}

function runs(command: string, args: string[]): boolean {
  try {
    const { success } = new Deno.Command(command, { args, stdout: "null", stderr: "null" })
      .outputSync();
    return success;
  } catch {
    return false;
  }
}

/**
 * The first python3 that imports pandas, or undefined.
 *
 * @returns the command
 */
export function pandasPython(): string | undefined {
  return ["/usr/bin/python3", "python3"].find((command) => runs(command, ["-c", "import pandas"]));
}

/**
 * Any python3, for syntax checks, or undefined.
 *
 * @returns the command
 */
export function anyPython(): string | undefined {
  return ["/usr/bin/python3", "python3"].find((command) => runs(command, ["--version"]));
}

/**
 * Checks that code parses as Python.
 *
 * @param python the python3 command
 * @param code the code
 * @returns the parser's error, or undefined when it parses
 */
export async function pythonSyntaxError(python: string, code: string): Promise<string | undefined> {
  const child = new Deno.Command(python, {
    args: ["-c", "import ast, sys; ast.parse(sys.stdin.read())"],
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(code));
  await writer.close();
  const { success, stderr } = await child.output();
  return success ? undefined : new TextDecoder().decode(stderr);
}

// Appended to a pandas recipe: every bound table's dtypes and values, as JSON.
const DUMP = `
import json as _json
import sys as _sys

def _canonical(series):
    kind = str(series.dtype)
    out = []
    for value in series:
        if pd.isna(value):
            out.append(None)
        elif kind.startswith("datetime64"):
            out.append(value.value // 1_000_000)
        elif kind == "Int64":
            out.append(str(int(value)))
        elif kind == "Float64":
            out.append(float(value))
        elif kind == "boolean":
            out.append(bool(value))
        else:
            out.append(value)
    return out

with open(_sys.argv[1], "w") as _file:
    _json.dump({
        _name: {
            "dtypes": {column: str(_frame[column].dtype) for column in _frame.columns},
            "values": {column: _canonical(_frame[column]) for column in _frame.columns},
        }
        for _name, _frame in ((_name, globals()[_name]) for _name in _sys.argv[2:])
    }, _file)
`;

/**
 * Runs a pandas recipe and reads back the tables it binds.
 *
 * @param python the python3 command
 * @param recipe the recipe's code
 * @param names the variables it binds, one per table
 * @returns each table's dtypes and values
 */
export async function runPythonRecipe(
  python: string,
  recipe: string,
  names: readonly string[],
): Promise<Record<string, PythonTable>> {
  const dir = await Deno.makeTempDir({ prefix: "pandas_recipe_" });
  try {
    await Deno.writeTextFile(`${dir}/recipe.py`, recipe + DUMP);
    const { success, stderr } = await new Deno.Command(python, {
      args: [`${dir}/recipe.py`, `${dir}/out.json`, ...names],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!success) throw new Error(`the pandas recipe failed:\n${new TextDecoder().decode(stderr)}`);
    return JSON.parse(await Deno.readTextFile(`${dir}/out.json`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
