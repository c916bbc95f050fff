/**
 * The controller side of a `fetch` step: the host's file read as base64 (the same read as slurp's
 * fact), its sha256 checked when the plan gave one, then written beside dest and renamed into
 * place, so a broken read or a checksum mismatch leaves the old file.
 */
import { createHash } from "node:crypto";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Step } from "../modules/types.js";
import { fileBytesFact } from "../modules/support/file-bytes.js";
import { tempPathFor } from "../transport/atomic-write.js";
import type { BecomeOptions, Transport } from "../transport/types.js";

/** Fetches the file; the error's message when it cannot. */
export async function fetchToController(
  transport: Transport,
  step: Extract<Step, { kind: "fetch" }>,
  become: BecomeOptions | undefined,
  timeoutMs: number | undefined,
): Promise<string | undefined> {
  const read = fileBytesFact(step.src);
  const file = read.parse(await transport.run(read.argv, { become, timeoutMs }));
  if (file.kind !== "file") return `cannot fetch ${step.src}: ${file.kind}`;
  const sha256 = createHash("sha256").update(file.bytes).digest("hex");
  if (step.sha256 !== undefined && sha256 !== step.sha256) return `checksum mismatch: ${step.src} changed while it was fetched (sha256 ${sha256}, expected ${step.sha256})`;
  mkdirSync(dirname(step.dest), { recursive: true });
  const temp = tempPathFor(step.dest);
  try {
    writeFileSync(temp, file.bytes);
    renameSync(temp, step.dest);
  } finally {
    rmSync(temp, { force: true });
  }
  return undefined;
}
