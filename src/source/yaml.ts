/**
 * YAML with positions. Loading code works on plain values (what `yaml` would give) and asks
 * `locate(path)` where a value came from, so every validation error can name file:line:column.
 */
import { readFileSync } from "node:fs";
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from "yaml";
import { ParseError, type SourceLocation } from "../errors.js";

export type YamlPath = readonly (string | number)[];

export interface YamlSource {
  readonly file: string;
  readonly text: string;
  /** The document's value as plain JavaScript (maps become objects, sequences arrays). */
  readonly value: unknown;
  /** Where the value at `path` starts; with `key: true`, where its key starts. Falls back to the nearest located parent. */
  locate(path: YamlPath, options?: { key?: boolean }): SourceLocation;
}

/** Parses YAML text; throws ParseError naming file:line:column on syntax errors or several documents. */
export function parseYaml(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  if (!Array.isArray(documents)) {
    return { file, text, value: undefined, locate: () => at(0) };
  }
  if (documents.length > 1) {
    throw new ParseError("expected one YAML document, found several", {
      location: at(documents[1]?.range[0] ?? 0),
      hint: "remove the extra '---' separator",
    });
  }
  const document = documents[0];
  if (document === undefined) return { file, text, value: undefined, locate: () => at(0) };
  const problem = document.errors[0];
  if (problem !== undefined) {
    throw new ParseError(`invalid YAML: ${firstLine(problem.message)}`, {
      location: at(problem.pos[0]),
      hint: yamlHint(problem.code),
    });
  }
  const value: unknown = document.toJS({ maxAliasCount: 1000 });
  const root = document.contents;
  const locate = (path: YamlPath, options: { key?: boolean } = {}): SourceLocation => {
    let node: Node | null = root;
    let best = node?.range?.[0] ?? 0;
    for (let i = 0; i < path.length && node; i++) {
      const step = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(step));
        if (!pair) break;
        const keyNode = pair.key as Node;
        if (last && options.key && keyNode.range) return at(keyNode.range[0]);
        node = (pair.value as Node | null) ?? null;
        best = node?.range?.[0] ?? keyNode.range?.[0] ?? best;
      } else if (isSeq(node) && typeof step === "number") {
        node = (node.items[step] as Node | undefined) ?? null;
        if (node?.range) best = node.range[0];
      } else {
        break;
      }
    }
    return at(best);
  };
  return { file, text, value, locate };
}

/** Reads and parses a YAML file; an unreadable file is a ParseError too. */
export function loadYamlFile(file: string): YamlSource {
  return parseYaml(readSourceFile(file), file);
}

/** A source file's text; an unreadable file is a located ParseError. */
export function readSourceFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new ParseError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      location: { file, line: 1, column: 1 },
      hint: "check the path and its permissions",
      cause: error,
    });
  }
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

function yamlHint(code: string): string | undefined {
  switch (code) {
    case "BAD_INDENT":
    case "MISSING_CHAR":
      return "check the indentation: items of one mapping or list must line up";
    case "DUPLICATE_KEY":
      return "each key may appear once in a mapping";
    case "TAB_AS_INDENT":
      return "YAML indents with spaces, never tabs";
    case "BLOCK_AS_IMPLICIT_KEY":
      return "a value that starts with '{{' must be quoted: \"{{ var }}\"";
    default:
      return undefined;
  }
}
