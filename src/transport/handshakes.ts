/**
 * How many SSH connections are set up at once, across every host of the run. A handshake costs
 * the controller a key exchange, a host-key check and a signature, each a burst of CPU when the
 * host's packet arrives: at 1,000 hosts opened together those bursts queue up in one turn of
 * the event loop after another, and every other socket, timer and the live view wait behind
 * them. A bounded number in flight keeps the loop turning; the rest wait their turn, and their
 * connect timeout starts when their handshake does, not while they wait.
 *
 * RUNBOOK_SSH_HANDSHAKES=N sets the bound (a whole number >= 1); "off" sets none, every
 * connection starts at once.
 */
import { Semaphore } from "./semaphore.js";

export const DEFAULT_HANDSHAKES = 64;

/** The bound RUNBOOK_SSH_HANDSHAKES asks for: a number, or undefined for none; bad values get the default. */
export function handshakeLimit(setting: string | undefined): number | undefined {
  if (setting === undefined || setting.trim() === "") return DEFAULT_HANDSHAKES;
  if (setting.trim() === "off") return undefined;
  const limit = Number(setting);
  return Number.isInteger(limit) && limit >= 1 ? limit : DEFAULT_HANDSHAKES;
}

const limit = handshakeLimit(process.env["RUNBOOK_SSH_HANDSHAKES"]);
const slots = limit === undefined ? undefined : new Semaphore(limit);

/** Waits for a handshake slot; call the returned function once the connection is up or has failed. */
export async function handshakeSlot(): Promise<() => void> {
  return slots === undefined ? () => {} : slots.acquire();
}
