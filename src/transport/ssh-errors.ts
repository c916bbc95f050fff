/** Maps what ssh2 and the socket throw to an UnreachableError whose reason is a word. */
import { UnreachableError, type UnreachableReason } from "./types.js";

interface ErrorLike {
  readonly code?: unknown;
  readonly level?: unknown;
  readonly message?: unknown;
}

export function unreachableReason(error: unknown): UnreachableReason {
  const { code, level, message } = (typeof error === "object" && error !== null ? error : {}) as ErrorLike;
  const text = typeof message === "string" ? message : "";
  // forwardOut through a jump host reports the far side's refusal only in words
  if (code === "ECONNREFUSED" || /connection refused/i.test(text)) return "refused";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "dns";
  if (code === "ETIMEDOUT" || level === "client-timeout" || /timed out/i.test(text)) return "timeout";
  if (level === "client-authentication" || /authentication methods failed/i.test(text)) return "auth";
  if (code === "ECONNRESET" || code === "EPIPE" || /connection lost|closed|not connected/i.test(text)) return "closed";
  return "other";
}

const DESCRIPTIONS: Record<UnreachableReason, string> = {
  refused: "connection refused (is sshd running and listening on that port?)",
  timeout: "timed out",
  auth: "authentication failed (check the user, the key and the agent)",
  "host-key": "host key verification failed",
  dns: "the name does not resolve",
  closed: "the connection was closed",
  other: "connection failed",
};

/** An UnreachableError for `host` (inventory name) at `target` (user@address:port). */
export function toUnreachable(host: string, target: string, error: unknown): UnreachableError {
  if (error instanceof UnreachableError) return error;
  const reason = unreachableReason(error);
  const detail = error instanceof Error ? error.message : String(error);
  return new UnreachableError(host, reason, `${host} (${target}): ${DESCRIPTIONS[reason]}: ${detail}`, { cause: error });
}
