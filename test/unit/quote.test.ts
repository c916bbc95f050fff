import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { quote, shellJoin } from "../../src/transport/quote.js";

describe("quote", () => {
  it("leaves plain words alone", () => {
    expect(shellJoin(["ls", "-la", "/etc/hosts"])).toBe("ls -la /etc/hosts");
  });

  it.each(["", "a b", "it's", "$(id)", "`id`", "a\nb", "-n", "*", "a'\"b"])("round-trips %j through sh", (value) => {
    const out = execFileSync("sh", ["-c", `printf %s ${quote(value)}`], { encoding: "utf8" });
    expect(out).toBe(value);
  });
});
