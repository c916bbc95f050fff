/**
 * The `ssh` connection, over node-ssh (ssh2). One persistent connection per host, opened once
 * and reused for every command; commands run on parallel channels, at most `maxChannels` at once
 * (OpenSSH's MaxSessions defaults to 10). Files travel over an exec channel's stdin into
 * transport/atomic-write.ts: no SFTP subsystem start-up per file.
 *
 * After the connection drops, every further call throws UnreachableError("closed"): there is no
 * silent reconnect in the middle of a play, because a host that vanished mid-task may be in any
 * state; the host drops out as unreachable, like Ansible does. A task that expects the host to
 * go away (reboot, wait_for_connection) gets a new SshTransport in this one's place instead
 * (executor/reconnect.ts, Connections.replace): this one stays dead.
 */
import { connect as netConnect, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { NodeSSH } from "node-ssh";
import type { Client, ClientChannel } from "ssh2";
import { RunbookError } from "../errors.js";
import { atomicWriteArgv, putFailure } from "./atomic-write.js";
import { buildCommandLine } from "./command-line.js";
import { handshakeSlot } from "./handshakes.js";
import { HostKeyVerifier, type HostKeyChecking } from "./host-key.js";
import { privateKeyOption } from "./private-key.js";
import { Semaphore } from "./semaphore.js";
import { toUnreachable } from "./ssh-errors.js";
import { UnreachableError, type CommandResult, type PutOptions, type RunOptions, type Transport } from "./types.js";

export interface SshOptions {
  /** The inventory name, used in messages. */
  readonly host: string;
  readonly address: string;
  readonly port: number;
  readonly user: string;
  readonly privateKeyFile?: string | undefined;
  /** ssh-agent socket; defaults to $SSH_AUTH_SOCK; "" uses no agent. */
  readonly agent?: string | undefined;
  readonly knownHostsFile: string;
  readonly hostKeyChecking: HostKeyChecking;
  /** TCP connect plus SSH handshake and authentication. */
  readonly connectTimeoutMs: number;
  /** Default timeout of every command (RunOptions.timeoutMs overrides it). */
  readonly commandTimeoutMs?: number | undefined;
  /** A bastion to tunnel through (OpenSSH's ProxyJump); it may have its own. */
  readonly proxyJump?: SshOptions | undefined;
  /** Channels open at once on the connection; default 8, below OpenSSH's MaxSessions of 10. */
  readonly maxChannels?: number | undefined;
}

const DEFAULT_MAX_CHANNELS = 8;
/**
 * A dead link (host cut off, cable pulled) sends no RST: without keepalives a command would wait
 * for its output forever. ssh2 sends a keepalive every 5 s and drops the connection after 3
 * unanswered ones, so a silent peer is reported unreachable ("closed") within ~15-20 s.
 */
export const KEEPALIVE_INTERVAL_MS = 5_000;
export const KEEPALIVE_COUNT_MAX = 3;

export class SshTransport implements Transport {
  readonly host: string;
  private readonly ssh = new NodeSSH();
  private readonly channels: Semaphore;
  private connecting: Promise<Client> | undefined;
  private bastion: SshTransport | undefined;
  /** Set once the connection is gone (dropped or closed); every later call throws it. */
  private broken: UnreachableError | undefined;
  /** Rejecters of commands in flight, called when the connection drops under them. */
  private readonly inFlight = new Set<(error: UnreachableError) => void>();

  constructor(private readonly options: SshOptions) {
    this.host = options.host;
    this.channels = new Semaphore(options.maxChannels ?? DEFAULT_MAX_CHANNELS);
  }

  /** user@address:port, for messages. */
  get target(): string {
    return `${this.options.user}@${this.options.address}:${this.options.port}`;
  }

  /** Opens the connection once; concurrent and later callers share the same promise (a failure stays a failure). */
  async connect(): Promise<void> {
    await this.client();
  }

  async run(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const client = await this.client();
    const timeoutMs = options.timeoutMs ?? this.options.commandTimeoutMs;
    const { command, stdinPrefix } = buildCommandLine(argv, { ...options, timeoutMs });
    checkCommandLength(this.host, command);
    const stdin = [stdinPrefix ?? "", options.stdin ?? ""].map((part) => (typeof part === "string" ? Buffer.from(part, "utf8") : part));
    const release = await this.channels.acquire();
    try {
      if (this.broken) throw this.broken; // dropped while we waited for a channel
      return await this.exec(client, command, Buffer.concat(stdin), timeoutMs);
    } finally {
      release();
    }
  }

  async put(path: string, content: Buffer, options: PutOptions = {}): Promise<void> {
    const result = await this.run(atomicWriteArgv(path, options, content.length), { stdin: content, become: options.become });
    if (result.rc !== 0) throw putFailure(this.host, path, result, options);
  }

  async close(): Promise<void> {
    this.broken ??= new UnreachableError(this.host, "closed", `${this.host} (${this.target}): the connection was closed by runbook`);
    const connection = this.ssh.connection;
    if (connection && !this.closedByPeer) {
      await new Promise<void>((resolve) => {
        // a dead peer never answers the disconnect. Not unref'd: if this were the last pending
        // thing, Node would exit with 13 (unsettled top-level await) instead of finishing the run.
        // Cleared on close: a pending timer keeps the process alive, a whole second after every run.
        const deadPeer = setTimeout(resolve, 1000);
        connection.once("close", () => {
          clearTimeout(deadPeer);
          resolve();
        });
        connection.end();
      });
    }
    await this.bastion?.close();
  }

  /** A TCP stream to `address:port` opened from this host (ssh -W), used as a jump host's socket. */
  async forwardOut(address: string, port: number): Promise<Duplex> {
    const client = await this.client();
    return new Promise((resolve, reject) => {
      client.forwardOut("127.0.0.1", 0, address, port, (error, channel) => {
        if (error) reject(toUnreachable(this.host, `${address}:${port} via ${this.target}`, error));
        else resolve(channel);
      });
    });
  }

  private async client(): Promise<Client> {
    if (this.broken) throw this.broken;
    this.connecting ??= this.open();
    const client = await this.connecting;
    if (this.broken) throw this.broken;
    return client;
  }

  private async open(): Promise<Client> {
    const verifier = this.hostKeyVerifier();
    // A jump host's connection takes a slot of its own: this host takes one once its tunnel is
    // open, so hosts holding slots never wait for a bastion that waits for a slot.
    // The tunnel's time counts against the connect timeout; waiting for a slot does not.
    const tunnelStarted = Date.now();
    const tunnel = this.options.proxyJump ? await this.tunnelThrough(this.options.proxyJump) : undefined;
    const tunnelMs = Date.now() - tunnelStarted;
    const release = await handshakeSlot();
    try {
      return await this.handshake(verifier, tunnel, Date.now() - tunnelMs);
    } finally {
      release();
    }
  }

  private async handshake(verifier: HostKeyVerifier, tunnel: Duplex | undefined, started: number): Promise<Client> {
    const { address, port, user, connectTimeoutMs } = this.options;
    const sock = tunnel ?? (await this.openSocket());
    const agent = this.options.agent ?? process.env.SSH_AUTH_SOCK ?? "";
    try {
      await this.ssh.connect({
        host: address,
        port,
        sock,
        username: user,
        ...(this.options.privateKeyFile === undefined ? {} : privateKeyOption(this.options.privateKeyFile)),
        ...(agent === "" ? {} : { agent }),
        hostVerifier: verifier.verify,
        algorithms: { serverHostKey: verifier.hostKeyAlgorithms() },
        readyTimeout: Math.max(1, connectTimeoutMs - (Date.now() - started)),
        keepaliveInterval: KEEPALIVE_INTERVAL_MS,
        keepaliveCountMax: KEEPALIVE_COUNT_MAX,
      });
    } catch (error) {
      sock.destroy();
      void this.bastion?.close();
      throw verifier.refusal ?? toUnreachable(this.host, this.target, error);
    }
    const client = this.ssh.connection;
    if (!client) throw toUnreachable(this.host, this.target, new Error("connection closed during login"));
    client.on("error", () => {}); // reported through "close" below and through the commands in flight
    client.on("close", () => this.dropped());
    return client;
  }

  private hostKeyVerifier(): HostKeyVerifier {
    const { knownHostsFile, hostKeyChecking } = this.options;
    try {
      return new HostKeyVerifier({ ...this.options, mode: hostKeyChecking });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new UnreachableError(this.host, "host-key", `${this.host}: cannot read ${knownHostsFile}: ${detail}`, { cause: error });
    }
  }

  /** The TCP socket, with Nagle off: an exec round trip takes ~10 ms instead of ~46 ms. */
  private async openSocket(): Promise<Duplex> {
    const { address, port, connectTimeoutMs } = this.options;
    return new Promise<Socket>((resolve, reject) => {
      const socket = netConnect({ host: address, port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(toUnreachable(this.host, this.target, Object.assign(new Error(`no TCP connection after ${connectTimeoutMs} ms`), { code: "ETIMEDOUT" })));
      }, connectTimeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        resolve(socket);
      });
      socket.once("error", (error) => {
        clearTimeout(timer);
        reject(toUnreachable(this.host, this.target, error));
      });
    });
  }

  /** A stream to the target opened by the jump host, within this host's connect timeout. */
  private async tunnelThrough(proxyJump: SshOptions): Promise<Duplex> {
    const { address, port, connectTimeoutMs } = this.options;
    this.bastion = new SshTransport(proxyJump);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`no tunnel after ${connectTimeoutMs} ms`), { code: "ETIMEDOUT" })), connectTimeoutMs);
    });
    try {
      return await Promise.race([this.bastion.forwardOut(address, port), deadline]);
    } catch (error) {
      void this.bastion.close();
      // report it as this host's problem (the executor keys results by host), keeping the reason
      const inner = toUnreachable(proxyJump.host, `${address}:${port}`, error);
      throw new UnreachableError(this.host, inner.reason, `${this.host} (${this.target}) via jump host ${proxyJump.address}: ${inner.message}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  /** The connection's "close" event has fired: close() need not wait for it. */
  private closedByPeer = false;

  private dropped(): void {
    this.closedByPeer = true;
    this.broken ??= new UnreachableError(this.host, "closed", `${this.host} (${this.target}): the connection was closed`);
    for (const reject of this.inFlight) reject(this.broken);
    this.inFlight.clear();
    void this.bastion?.close();
  }

  /**
   * A command timed out and the server did not confirm its channel's close: either the server is
   * slow, or the link is dead (a host cut off sends nothing, not even a reset). A tiny command
   * tells which; with no answer the connection is given up and the host becomes unreachable,
   * without waiting for the keepalive to notice.
   */
  private async confirmAlive(client: Client): Promise<void> {
    const alive = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), LIVENESS_TIMEOUT_MS);
      client.exec("true", (error, channel) => {
        if (error) {
          clearTimeout(timer);
          resolve(true); // a refusal is an answer too
          return;
        }
        channel.on("close", () => {
          clearTimeout(timer);
          resolve(true);
        });
        channel.resume();
        channel.end();
      });
    });
    if (alive) return;
    this.broken ??= new UnreachableError(this.host, "timeout", `${this.host} (${this.target}): no answer from the host after a command timed out; the connection is dead`);
    this.dropped();
    client.destroy();
  }

  private exec(client: Client, command: string, stdin: Buffer, timeoutMs: number | undefined): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
      const fail = (error: UnreachableError): void => {
        this.inFlight.delete(fail);
        reject(error);
      };
      this.inFlight.add(fail);
      const onStuck = (): Promise<void> => this.confirmAlive(client);
      withExecChannel(client, command, (channel) => collect(channel, stdin, timeoutMs, onStuck)).then(
        (result) => {
          if (!this.inFlight.delete(fail)) return; // already rejected by a drop
          if (result === undefined) reject(this.broken ?? new UnreachableError(this.host, "closed", `${this.host} (${this.target}): the channel closed without an exit status`));
          else resolve(result);
        },
        (error: unknown) => fail(this.broken ?? toUnreachable(this.host, this.target, error)),
      );
    });
  }
}

/**
 * sshd runs the command as `$SHELL -c COMMAND`, and Linux refuses a single argument longer than
 * 128 KiB (MAX_ARG_STRLEN); past ~256 KiB sshd even drops the whole connection. So a longer
 * command fails here, as the task's error, and the connection stays usable.
 */
export const MAX_COMMAND_BYTES = 131_072 - 1;

function checkCommandLength(host: string, command: string): void {
  const bytes = Buffer.byteLength(command, "utf8");
  if (bytes <= MAX_COMMAND_BYTES) return;
  throw new RunbookError("runtime", `${host}: the command line is ${bytes} bytes; a remote command can be at most ${MAX_COMMAND_BYTES}`, {
    hint: "pass large data as a file (copy, template) or on stdin instead of in arguments",
  });
}

/** Waits between tries when sshd refuses a session channel: 25, 50, 100, ... ms, about 3 s in all. */
const CHANNEL_OPEN_RETRIES = 7;
const CHANNEL_OPEN_FIRST_DELAY_MS = 25;

/**
 * Opens an exec channel and hands it to `use`, trying again when sshd refuses it ("Channel open
 * failure"). sshd frees a finished session only after it has processed our close, in a later turn
 * of its main loop, so a channel opened right after another one closed can find all MaxSessions
 * still taken, even though at most `maxChannels` (< MaxSessions) are ours at once. A refused
 * channel is not a broken connection: retrying is safe because nothing ran.
 *
 * `use` is called synchronously in ssh2's callback: a fast command's output, exit status and
 * close can arrive in the same packet batch as the exec reply, so listeners attached even one
 * microtask later would miss them.
 */
async function withExecChannel<T>(client: Client, command: string, use: (channel: ClientChannel) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    let used: { readonly result: Promise<T> };
    try {
      used = await new Promise<{ readonly result: Promise<T> }>((resolve, reject) => {
        client.exec(command, (error, channel) => (error ? reject(error) : resolve({ result: use(channel) })));
      });
    } catch (error) {
      const refused = error instanceof Error && /Channel open failure/i.test(error.message);
      if (!refused || attempt >= CHANNEL_OPEN_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, CHANNEL_OPEN_FIRST_DELAY_MS * 2 ** attempt));
      continue;
    }
    return used.result;
  }
}

/** How long to wait for the server to confirm a killed channel's close before asking whether it is alive. */
const CLOSE_GRACE_MS = 2000;
/** How long the liveness check after an unconfirmed timeout waits for an answer. */
const LIVENESS_TIMEOUT_MS = 5000;

/** Feeds stdin, gathers output and the exit status; undefined when the channel closed without one. */
function collect(channel: ClientChannel, stdin: Buffer, timeoutMs: number | undefined, onStuck?: () => Promise<void>): Promise<CommandResult | undefined> {
  return new Promise((resolve) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let rc: number | undefined;
    let timedOut = false;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      const out = Buffer.concat(stdout).toString("utf8");
      const err = Buffer.concat(stderr).toString("utf8");
      if (timedOut) resolve({ rc: -1, stdout: out, stderr: `${err}timed out after ${timeoutMs} ms` });
      else if (rc === undefined) resolve(undefined);
      else resolve({ rc, stdout: out, stderr: err });
    };
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            terminateSession(channel);
            channel.close();
            // a server that ignores the signal keeps the channel open until the command ends;
            // a dead link never confirms: onStuck finds out which before the result is given
            setTimeout(() => {
              if (done) return;
              if (onStuck) void onStuck().finally(finish);
              else finish();
            }, CLOSE_GRACE_MS).unref();
          }, timeoutMs);
    channel.on("data", (chunk: Buffer) => stdout.push(chunk));
    channel.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    channel.on("exit", (code: number | null) => {
      rc = code ?? -1; // null: killed by a signal
    });
    channel.on("error", () => {}); // writes after the remote side exited; the exit status tells the story
    channel.on("close", finish);
    channel.end(stdin);
  });
}

/** The parts of ssh2's channel that `signal()` uses internally. */
interface ChannelInternals {
  readonly outgoing: { readonly id: number; readonly state: string };
  readonly _client: { readonly _protocol: { signal(channelId: number, signal: string): void } };
}

/**
 * Asks sshd to SIGTERM the command's process group (OpenSSH >= 7.9 `killpg`s on a "signal"
 * request, but not for root logins; command-line.ts's `timeout` wrapper covers those and sends
 * the SIGKILL). TERM rather than KILL so cleanup traps run. ssh2's public `channel.signal()`
 * silently does nothing once stdin has been ended, which `run` always does, so the request goes
 * through the protocol object directly.
 */
function terminateSession(channel: ClientChannel): void {
  const internals = channel as unknown as ChannelInternals;
  // "eof" is the state after our stdin ended; "closing"/"closed" need no signal any more
  const state = internals.outgoing.state;
  if (state === "open" || state === "eof") internals._client._protocol.signal(internals.outgoing.id, "TERM");
}
