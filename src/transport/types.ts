/**
 * The transport interface: everything the engine does to a host goes through these few calls
 * (pyinfra's connector shape). `ssh` and `local` implement it; tests add no fakes beyond it.
 */

/** Run a command as another user through sudo. The password travels on stdin, never in argv. */
export interface BecomeOptions {
  readonly user: string;
  readonly password?: string | undefined;
}

export interface RunOptions {
  readonly stdin?: string | Buffer | undefined;
  /** Kill the command and fail after this long (the host is not marked unreachable for that). */
  readonly timeoutMs?: number | undefined;
  readonly become?: BecomeOptions | undefined;
  readonly env?: Readonly<Record<string, string>> | undefined;
  readonly cwd?: string | undefined;
}

export interface CommandResult {
  /** Exit status; -1 when the command was killed by a signal or timed out. */
  readonly rc: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface PutOptions {
  /** Octal string, e.g. "0644". */
  readonly mode?: string | undefined;
  readonly owner?: string | undefined;
  readonly group?: string | undefined;
  readonly become?: BecomeOptions | undefined;
}

export interface Transport {
  /** The inventory name of the host. */
  readonly host: string;
  /** Opens the connection (idempotent). Throws UnreachableError. */
  connect(): Promise<void>;
  /** Runs an argument array (quoted by transport/quote.ts). A non-zero exit is a result, not an error. Throws UnreachableError when the host cannot be reached. */
  run(argv: readonly string[], options?: RunOptions): Promise<CommandResult>;
  /** Writes a file atomically: to a temporary file beside `path`, then renamed into place, with mode/owner/group set before the rename. */
  put(path: string, content: Buffer, options?: PutOptions): Promise<void>;
  close(): Promise<void>;
}

export type UnreachableReason = "refused" | "timeout" | "auth" | "host-key" | "dns" | "closed" | "other";

/** The host could not be reached or the connection broke: the host drops out as "unreachable". */
export class UnreachableError extends Error {
  readonly reason: UnreachableReason;
  readonly host: string;

  constructor(host: string, reason: UnreachableReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "UnreachableError";
    this.host = host;
    this.reason = reason;
  }
}
