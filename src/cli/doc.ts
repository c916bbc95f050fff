/** `runbook doc MODULE`, `runbook doc --list`, `runbook doc --markdown` (what docs/modules.md holds). */
import type { Command } from "commander";
import { OptionsError } from "../errors.js";
import { unknownModuleHint } from "../modules/registry.js";
import { formatModuleDoc, formatModuleList, moduleDoc, modulesMarkdown } from "../schema/module-doc.js";

export function registerDocCommand(program: Command): void {
  program
    .command("doc")
    .description("a module's arguments, types, defaults and an example")
    .argument("[module]", "module name, e.g. copy")
    .option("--list", "list the modules")
    .option("--markdown", "all modules as Markdown (docs/modules.md)")
    .action((name: string | undefined, flags: { list?: boolean; markdown?: boolean }) => {
      process.stdout.write(docText(name, flags));
    });
}

export function docText(name: string | undefined, flags: { list?: boolean; markdown?: boolean }): string {
  if (flags.markdown) return modulesMarkdown();
  if (flags.list || name === undefined) return formatModuleList();
  const doc = moduleDoc(name);
  if (doc === undefined) throw new OptionsError(`unknown module '${name}'`, { hint: unknownModuleHint(name) });
  return formatModuleDoc(doc);
}
