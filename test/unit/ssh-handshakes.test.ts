import { describe, expect, it } from "vitest";
import { DEFAULT_HANDSHAKES, handshakeLimit } from "../../src/transport/handshakes.js";

describe("RUNBOOK_SSH_HANDSHAKES", () => {
  it.each([
    [undefined, DEFAULT_HANDSHAKES],
    ["", DEFAULT_HANDSHAKES],
    ["16", 16],
    ["off", undefined],
    ["0", DEFAULT_HANDSHAKES],
    ["many", DEFAULT_HANDSHAKES],
  ])("%j gives %j", (setting, expected) => {
    expect(handshakeLimit(setting)).toBe(expected);
  });
});
