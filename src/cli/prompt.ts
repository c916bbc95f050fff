/** Reads a secret from the terminal without echoing it. */
import { createInterface } from "node:readline";
import { Writable } from "node:stream";

export function promptSecret(question: string): Promise<string> {
  process.stderr.write(question);
  const muted = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  const reader = createInterface({ input: process.stdin, output: muted, terminal: process.stdin.isTTY ?? false });
  return new Promise((resolve) => {
    reader.once("line", (line) => {
      reader.close();
      process.stderr.write("\n");
      resolve(line);
    });
  });
}

/** Reads one line from the terminal, echoed. */
export function promptLine(question: string): Promise<string> {
  const reader = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY ?? false });
  return new Promise((resolve) => {
    reader.question(question, (line) => {
      reader.close();
      resolve(line);
    });
  });
}
