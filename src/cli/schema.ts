/** `runbook schema [playbook|tasks|handlers|inventory]`: the editor JSON Schema on stdout. */
import type { Command } from "commander";
import { didYouMean, OptionsError } from "../errors.js";
import { editorSchema, SCHEMA_KINDS, type SchemaKind } from "../schema/editor-schema.js";

export function registerSchemaCommand(program: Command): void {
  program
    .command("schema")
    .description("print a JSON Schema for editors (yaml-language-server)")
    .argument("[kind]", `one of ${SCHEMA_KINDS.join(", ")}`, "playbook")
    .action((kind: string) => {
      process.stdout.write(`${JSON.stringify(editorSchema(schemaKind(kind)), null, 2)}\n`);
    });
}

function schemaKind(kind: string): SchemaKind {
  const known = SCHEMA_KINDS.find((candidate) => candidate === kind);
  if (known === undefined) throw new OptionsError(`unknown schema '${kind}'`, { hint: didYouMean(kind, SCHEMA_KINDS) ?? `use one of: ${SCHEMA_KINDS.join(", ")}` });
  return known;
}
