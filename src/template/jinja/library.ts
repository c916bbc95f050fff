/** What a template can call by name: filters, tests and globals, and how {% include %} finds files. */
import type { Arguments, Scope } from "./runtime.js";
import type { JinjaNode } from "./syntax.js";

export type Filter = (value: unknown, args: Arguments) => unknown;
export type Test = (value: unknown, args: Arguments) => boolean;

export interface Library {
  readonly filters: Readonly<Record<string, Filter>>;
  readonly tests: Readonly<Record<string, Test>>;
  /** Filters and tests that receive undefined values (default, mandatory, defined...). */
  readonly lenientFilters: ReadonlySet<string>;
  readonly lenientTests: ReadonlySet<string>;
  readonly globals: Readonly<Record<string, unknown>>;
  include(name: string, scope: Scope, node: JinjaNode): string;
}
