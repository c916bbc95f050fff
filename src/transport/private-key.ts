/**
 * A private key file's text, read once per run: every host of an inventory usually logs in
 * with the same key, and node-ssh would read the file again for each connection (at 1,000 hosts,
 * 1,000 reads on the event loop's thread pool while handshakes wait). A file that cannot be read
 * is handed to node-ssh by path, so its error stays the one users know.
 */
import { readFileSync } from "node:fs";

const texts = new Map<string, string>();

export function privateKeyOption(file: string): { privateKey: string } | { privateKeyPath: string } {
  let text = texts.get(file);
  if (text === undefined) {
    try {
      text = readFileSync(file, "utf8");
    } catch {
      return { privateKeyPath: file };
    }
    texts.set(file, text);
  }
  return { privateKey: text };
}
