/** `-e`: key=value pairs (quotes allowed), a JSON/YAML mapping, or @file.yaml, as in Ansible. */
import { resolve } from "node:path";
import { parse as parseYamlValue } from "yaml";
import { existsSync } from "node:fs";
import { OptionsError, ParseError, RunbookError } from "../errors.js";
import { NO_VAULT, type VaultKeyring } from "../vault/keyring.js";
import type { Vars } from "../playbook/model.js";

/** `vault` decrypts an encrypted `-e @file` (Ansible allows it). */
export function parseExtraVars(values: readonly string[], vault: VaultKeyring = NO_VAULT): Vars {
  const vars: Vars = {};
  for (const value of values) Object.assign(vars, parseOne(value, vault));
  return vars;
}

function parseOne(value: string, vault: VaultKeyring): Vars {
  const text = value.trim();
  if (text.startsWith("@")) {
    const file = resolve(text.slice(1));
    if (!existsSync(file)) throw new RunbookError("runtime", `-e ${text}: no such file ${file}`, { hint: "give the path of a YAML file of variables after @" });
    const source = vault.loadYaml(file);
    if (!isMapping(source.value)) {
      throw new ParseError(`-e ${text}: the file must hold a mapping of variables`, { location: source.locate([]), hint: "write 'name: value' lines" });
    }
    return source.value;
  }
  if (text.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = parseYamlValue(text);
    } catch (error) {
      throw new ParseError(`-e '${text}' is not valid JSON/YAML: ${(error as Error).message.split("\n")[0]}`, { hint: `quote it for the shell: -e '{"name": "value"}'` });
    }
    if (!isMapping(parsed)) throw new ParseError(`-e '${text}' must be a mapping`, { hint: `write -e '{"name": "value"}'` });
    return parsed;
  }
  return parseKeyValues(text);
}

/** `a=1 b="two words" c='x'`: every value is a string, as Ansible reads key=value extra vars. */
function parseKeyValues(text: string): Vars {
  const vars: Vars = {};
  const pattern = /\s*([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/y;
  let index = 0;
  while (index < text.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(text);
    if (!match) {
      const rest = text.slice(index).trim();
      if (rest === "") break;
      throw new OptionsError(`-e: cannot read '${rest}' as key=value`, {
        hint: "use -e name=value (several separated by spaces), -e '{\"name\": \"value\"}' or -e @vars.yaml",
      });
    }
    const [, key, raw] = match as unknown as [string, string, string];
    vars[key] = raw.startsWith('"') ? JSON.parse(raw) : raw.startsWith("'") ? raw.slice(1, -1) : raw;
    index = pattern.lastIndex;
  }
  if (Object.keys(vars).length === 0) {
    throw new OptionsError(`-e '${text}' sets no variable`, { hint: "use -e name=value" });
  }
  return vars;
}

function isMapping(value: unknown): value is Vars {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
