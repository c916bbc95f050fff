/** -vvv: how runbook will reach a host, in one line (no secrets: passwords are never shown). */
import type { ConnectionSettings } from "../inventory/connection.js";

export function connectionLine(settings: ConnectionSettings): string {
  if (settings.connection === "local") return "local connection (this machine)";
  const parts = [`ssh ${settings.user ? `${settings.user}@` : ""}${settings.host}:${settings.port}`];
  if (settings.proxyJump) parts.push(`via ${settings.proxyJump}`);
  if (settings.privateKeyFile) parts.push(`key ${settings.privateKeyFile}`);
  if (settings.password !== undefined) parts.push("password auth");
  if (settings.hostKeyChecking) parts.push(`host keys ${settings.hostKeyChecking}`);
  if (settings.knownHostsFile) parts.push(`known_hosts ${settings.knownHostsFile}`);
  if (settings.connectTimeoutSeconds !== undefined) parts.push(`timeout ${settings.connectTimeoutSeconds}s`);
  if (settings.become) parts.push(`become ${settings.becomeUser ?? "root"}`);
  return parts.join(", ");
}
