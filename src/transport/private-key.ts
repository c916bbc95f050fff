/**
 * A private key file's text, read once per run: every host of an inventory usually logs in
 * with the same key, and node-ssh would read the file again for each connection (at 1,000 hosts,
 * 1,000 reads on the event loop's thread pool while handshakes wait). A file that cannot be read
 * is handed to node-ssh by path, so its error stays the one users know. The text is kept with
 * the file's identity (inode, size, change time): a key written again at the same path, as a lab
 * brought up again under the same name does in a long-lived process, is read again.
 */
import { readFileSync, statSync } from "node:fs";

const texts = new Map<string, { readonly identity: string; readonly text: string }>();

export function privateKeyOption(file: string): { privateKey: string } | { privateKeyPath: string } {
  try {
    const { ino, size, ctimeMs } = statSync(file);
    const identity = `${ino}:${size}:${ctimeMs}`;
    const known = texts.get(file);
    if (known?.identity === identity) return { privateKey: known.text };
    const text = readFileSync(file, "utf8");
    texts.set(file, { identity, text });
    return { privateKey: text };
  } catch {
    return { privateKeyPath: file };
  }
}
