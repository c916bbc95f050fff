import { describe, expect, it } from "vitest";
import { toUnreachable, unreachableReason } from "../../src/transport/ssh-errors.js";
import { UnreachableError } from "../../src/transport/types.js";

const error = (message: string, extra: Record<string, unknown> = {}): Error => Object.assign(new Error(message), extra);

describe("unreachableReason", () => {
  it.each([
    [error("connect ECONNREFUSED 127.0.0.1:22", { code: "ECONNREFUSED" }), "refused"],
    [error("(SSH) Channel open failure: Connection refused", { reason: 2 }), "refused"],
    [error("getaddrinfo ENOTFOUND nowhere", { code: "ENOTFOUND" }), "dns"],
    [error("getaddrinfo EAI_AGAIN nowhere", { code: "EAI_AGAIN" }), "dns"],
    [error("Timed out while waiting for handshake", { level: "client-timeout" }), "timeout"],
    [error("no TCP connection after 10 ms", { code: "ETIMEDOUT" }), "timeout"],
    [error("All configured authentication methods failed", { level: "client-authentication" }), "auth"],
    [error("read ECONNRESET", { code: "ECONNRESET" }), "closed"],
    [error("Not connected"), "closed"],
    [error("something else"), "other"],
    ["a string", "other"],
  ])("%s -> %s", (cause, reason) => expect(unreachableReason(cause)).toBe(reason));
});

describe("toUnreachable", () => {
  it("names the host, the target and the reason in words, keeping the cause", () => {
    const cause = error("connect ECONNREFUSED", { code: "ECONNREFUSED" });
    const result = toUnreachable("web1", "root@10.0.0.1:22", cause);
    expect(result).toBeInstanceOf(UnreachableError);
    expect(result.reason).toBe("refused");
    expect(result.host).toBe("web1");
    expect(result.message).toMatch(/^web1 \(root@10\.0\.0\.1:22\): connection refused/);
    expect(result.cause).toBe(cause);
  });

  it("passes an UnreachableError through", () => {
    const original = new UnreachableError("web1", "host-key", "changed");
    expect(toUnreachable("web1", "x", original)).toBe(original);
  });
});
