/**
 * Ansible host patterns (inventory/manager.py): names, `all`/`*`, globs, `~regex`, subscripts
 * `group[0]` / `group[1:3]`, unions (`:` or `,`), intersections `&g`, exclusions `!g`, applied
 * unions first, then intersections, then exclusions. The result is in inventory order.
 */
import { didYouMean, OptionsError, type SourceLocation } from "../errors.js";
import type { Inventory } from "./types.js";

interface Part {
  readonly text: string;
  readonly operator: "union" | "intersection" | "exclusion";
  /** The part without its operator and subscript. */
  readonly expression: string;
  readonly subscript?: Subscript | undefined;
}

type Subscript = { readonly index: number } | { readonly start: number; readonly end?: number | undefined };

/**
 * Hosts matched by `pattern`. Like Ansible, a part that matches nothing is ignored; but when
 * the whole pattern selects no host and a part names no host or group, it is an OptionsError.
 */
export function selectHosts(inventory: Inventory, pattern: string, where?: SourceLocation): string[] {
  const matcher = new PatternMatcher(inventory, where);
  const parts = orderParts(splitPattern(pattern));
  let selected = new Set<string>();
  for (const part of parts) {
    const matched = new Set(matcher.match(part));
    if (part.operator === "union") selected = new Set([...selected, ...matched]);
    else if (part.operator === "intersection") selected = new Set([...selected].filter((host) => matched.has(host)));
    else selected = new Set([...selected].filter((host) => !matched.has(host)));
  }
  const hosts = [...inventory.hosts.keys()].filter((host) => selected.has(host));
  if (hosts.length === 0) {
    const unknown = parts.find((part) => !matcher.isKnown(part.expression));
    if (unknown) {
      const names = [...inventory.hosts.keys(), ...inventory.groups.keys()];
      // Ansible: "Specified inventory, host pattern and/or --limit leaves us with no hosts" (exit 1)
      throw new OptionsError(`host pattern '${pattern}' matches no hosts: '${unknown.expression}' is not a host or group in the inventory`, {
        location: where,
        hint: didYouMean(unknown.expression, names) ?? `known groups: ${[...inventory.groups.keys()].join(", ")}`,
        kind: "runtime",
      });
    }
  }
  return hosts;
}

/** The parts of `pattern` that name no host or group (Ansible warns about each). */
export function listUnknownPatternParts(inventory: Inventory, pattern: string): string[] {
  const matcher = new PatternMatcher(inventory, undefined);
  return splitPattern(pattern)
    .filter((part) => !matcher.isKnown(part.expression))
    .map((part) => part.text);
}

/** Splits on ',' when there is one, else on ':' outside brackets (so `web[1:3]` stays whole). */
export function splitPattern(pattern: string): Part[] {
  const texts = pattern.includes(",") ? pattern.split(",") : (pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? []);
  return texts.map((text) => text.trim()).filter((text) => text !== "").map(toPart);
}

function toPart(text: string): Part {
  const operator = text.startsWith("&") ? "intersection" : text.startsWith("!") ? "exclusion" : "union";
  const body = operator === "union" ? text : text.slice(1);
  if (body.startsWith("~")) return { text, operator, expression: body };
  // `[n]` and `[n:m]` are subscripts; `[1-3]` is a glob character class (Ansible removed [x-y] subscripts).
  const match = /^(.+)\[(?:(-?[0-9]+)|([0-9]+):([0-9]*))\]$/.exec(body);
  if (!match) return { text, operator, expression: body };
  const [, expression = body, index, start, end] = match;
  const subscript: Subscript =
    index !== undefined ? { index: Number(index) } : { start: Number(start), end: end === "" || end === undefined ? undefined : Number(end) };
  return { text, operator, expression, subscript };
}

/** Unions first, then intersections, then exclusions; with no union at all, start from `all`. */
function orderParts(parts: Part[]): Part[] {
  const unions = parts.filter((part) => part.operator === "union");
  const start = unions.length > 0 ? unions : [toPart("all")];
  return [...start, ...parts.filter((part) => part.operator === "intersection"), ...parts.filter((part) => part.operator === "exclusion")];
}

class PatternMatcher {
  private readonly groupsMap: Record<string, string[]>;

  constructor(
    private readonly inventory: Inventory,
    private readonly where: SourceLocation | undefined,
  ) {
    this.groupsMap = inventory.groupsMap();
  }

  match(part: Part): string[] {
    const hosts = this.enumerate(part.expression);
    if (!part.subscript) return hosts;
    if ("index" in part.subscript) {
      const host = hosts.at(part.subscript.index);
      if (host === undefined) {
        throw new OptionsError(`no host at index ${part.subscript.index} of '${part.expression}', which has ${hosts.length} host(s)`, {
          location: this.where,
          hint: hosts.length > 0 ? `use an index from 0 to ${hosts.length - 1}` : `'${part.expression}' matches no hosts`,
        });
      }
      return [host];
    }
    return hosts.slice(part.subscript.start, part.subscript.end === undefined ? undefined : part.subscript.end + 1);
  }

  isKnown(expression: string): boolean {
    return expression === "all" || this.enumerate(expression).length > 0 || this.matchingGroups(expression).length > 0;
  }

  /** A host name; else groups matching it, plus hosts when no group matched or it is a glob/regex. */
  private enumerate(expression: string): string[] {
    if (this.inventory.hosts.has(expression)) return [expression];
    const groups = this.matchingGroups(expression);
    const hosts = new Set(groups.flatMap((group) => this.groupsMap[group] ?? []));
    if (groups.length === 0 || expression.startsWith("~") || /[.?*[]/.test(expression)) {
      const test = this.compile(expression);
      for (const host of this.inventory.hosts.keys()) if (test.test(host)) hosts.add(host);
    }
    return [...this.inventory.hosts.keys()].filter((host) => hosts.has(host));
  }

  private matchingGroups(expression: string): string[] {
    const test = this.compile(expression);
    return [...this.inventory.groups.keys()].filter((group) => test.test(group));
  }

  private compile(expression: string): RegExp {
    if (!expression.startsWith("~")) return globToRegExp(expression);
    try {
      // Python's re.match: anchored at the start only.
      return new RegExp(`^(?:${expression.slice(1)})`);
    } catch (error) {
      throw new OptionsError(`invalid regular expression in host pattern '${expression}'`, {
        location: this.where,
        hint: (error as Error).message,
        cause: error,
      });
    }
  }
}

/** fnmatch: `*`, `?`, `[abc]`, `[!abc]`, `[a-z]`; everything else literal; whole-name match. */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] ?? "";
    if (char === "*") source += ".*";
    else if (char === "?") source += ".";
    else if (char === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close < 0) {
        source += "\\[";
        continue;
      }
      let body = glob.slice(i + 1, close);
      const negate = body.startsWith("!");
      if (negate) body = body.slice(1);
      source += `[${negate ? "^" : ""}${body.replace(/[\\\]^]/g, "\\$&")}]`;
      i = close;
    } else source += char.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "s");
}
