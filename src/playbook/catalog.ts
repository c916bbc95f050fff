/**
 * What the loader needs to know about modules. The module registry (src/modules/registry.ts)
 * provides the real catalog; until it is wired in, `acceptAnyModule` lets every name through.
 */
import type { Vars } from "./model.js";

export interface ArgIssue {
  /** Path inside the module's arguments, e.g. ["dest"] or ["lines", 2]. */
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly hint?: string | undefined;
}

export type ArgCheck = { readonly ok: true; readonly args: Vars } | { readonly ok: false; readonly issues: readonly ArgIssue[] };

export interface ModuleCatalog {
  has(name: string): boolean;
  /** Known module names, for did-you-mean. */
  names(): readonly string[];
  /**
   * The module's top-level argument names, or undefined to leave names to `validate`. Names are
   * checked even where values are templated, so they are asked for apart from validation.
   */
  argumentNames(name: string): readonly string[] | undefined;
  validate(name: string, args: Vars): ArgCheck;
  /** The short name a task keeps for a qualified one (`ansible.posix.sysctl` -> `sysctl`); default normalizeModuleName. */
  shortName?(name: string): string;
  /** A hint for an unknown qualified name beyond the closest spelling (a known module in the wrong collection). */
  hint?(name: string): string | undefined;
}

export const acceptAnyModule: ModuleCatalog = {
  has: () => true,
  names: () => [],
  argumentNames: () => undefined,
  validate: (_name, args) => ({ ok: true, args }),
};

/** Modules whose free-form string is a command line (`command: echo hi` -> `{cmd: "echo hi"}`). */
export const COMMAND_MODULES: ReadonlySet<string> = new Set(["command", "shell", "raw", "script"]);

/** Modules whose free-form string names a file (`include_vars: vars/main.yml` -> `{file: ...}`). */
export const FILE_MODULES: ReadonlySet<string> = new Set(["include_vars"]);

/** `ansible.builtin.copy` and `ansible.legacy.copy` name the same module as `copy`. */
export function normalizeModuleName(name: string): string {
  return name.replace(/^ansible\.(builtin|legacy)\./, "");
}
