/** Whether real ansible-playbook is installed (the oracles compare runbook with it). */
import { execFileSync } from "node:child_process";

export function ansibleAvailable(): boolean {
  try {
    execFileSync("ansible-playbook", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
