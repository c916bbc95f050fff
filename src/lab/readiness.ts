/**
 * "Does sshd answer?" by a TCP connect and the SSH identification banner (RFC 4253 4.2),
 * with node's net module: hundreds of hosts can be polled without spawning a process each.
 */
import { Socket } from "node:net";
import { sleep } from "./process.js";

/** Resolves true when `address:port` sends a line starting with "SSH-" within `timeoutMs`. */
export function sshBanner(address: string, port = 22, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let received = "";
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.on("error", () => finish(false));
    socket.on("close", () => finish(received.startsWith("SSH-")));
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
      if (received.includes("\n")) finish(received.startsWith("SSH-"));
    });
    socket.connect(port, address);
  });
}

/** Polls until the banner comes or `deadline` (epoch ms) passes; returns whether it came. */
export async function waitForSsh(address: string, deadline: number, intervalMs = 100): Promise<boolean> {
  while (Date.now() < deadline) {
    if (await sshBanner(address, 22, Math.min(2000, Math.max(100, deadline - Date.now())))) return true;
    await sleep(intervalMs);
  }
  return false;
}
