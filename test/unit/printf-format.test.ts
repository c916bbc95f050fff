import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { printfFormat } from "../../src/transport/atomic-write.js";
import { quote } from "../../src/transport/quote.js";

/** What the host's sh prints for the format, as a batched write sends it. */
const printed = (content: Buffer): Buffer => execFileSync("sh", ["-c", `printf ${quote(printfFormat(content))}`]);

describe("printfFormat: a batched write's content through the shell's printf", () => {
  it("prints every byte exactly, NUL and newlines included", () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, byte) => byte));
    expect(printed(all).equals(all)).toBe(true);
  });

  it("keeps %, backslashes, quotes, a leading dash and a missing final newline", () => {
    for (const text of ["-n x", "--", "100% \\n 'q' \"d\" $HOME `x`", "no newline", "", "é ü\n\n"]) {
      expect(printed(Buffer.from(text, "utf8")).toString("utf8")).toBe(text);
    }
  });
});
