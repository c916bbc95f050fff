/**
 * Downloads on the host with curl (get_url): the read that decides, and the step that writes.
 *
 * The read follows Ansible's get_url: a missing dest needs only a HEAD (does the URL answer?);
 * an existing dest with a matching `checksum` and no `force` needs nothing; otherwise the body is
 * fetched (to a temp file that is removed) for its sha256, with If-Modified-Since from dest's
 * mtime unless `force` (curl -z), so a server may answer 304. file:// URLs have no status: curl's
 * exit code says whether the file could be read.
 */
import type { Fact, PathAfter, Step } from "../types.js";
import { shScript } from "../../transport/quote.js";
import { ProbeError } from "./probe-error.js";

export interface DownloadRequest {
  readonly url: string;
  /** The file written: dest, or for the read, dest/`name` when dest is a directory. */
  readonly path: string;
  /** The URL's file name, for a dest that is a directory. */
  readonly name: string;
  readonly force: boolean;
  /** "sha256:HEX" as given, or "". */
  readonly checksum: string;
  readonly timeout: number;
  readonly headers: Readonly<Record<string, string>>;
}

export type SourceState =
  | { readonly kind: "missing-dest"; readonly status: number; readonly dirExists: boolean }
  | { readonly kind: "checksum-matches" }
  | { readonly kind: "not-modified" }
  | { readonly kind: "fetched"; readonly status: number; readonly sha256: string }
  | { readonly kind: "error"; readonly message: string };

/** The curl words shared by the read and the step: quiet, errors shown, redirects followed, the timeout, the headers. */
function curlWords(request: DownloadRequest): string[] {
  const headers = Object.entries(request.headers).flatMap(([name, value]) => ["-H", `${name}: ${value}`]);
  return ["curl", "-sS", "-L", "--max-time", String(request.timeout), ...headers];
}

/** "sha256:AbC..." as ["sha256", "abc..."]; Ansible drops non-word characters and lowercases. */
export function splitChecksum(checksum: string): readonly [string, string] | undefined {
  if (checksum === "") return undefined;
  const at = checksum.indexOf(":");
  if (at < 0) return undefined;
  return [checksum.slice(0, at).toLowerCase(), checksum.slice(at + 1).replace(/\W+/g, "").toLowerCase()];
}

// $1 dest, $2 force, $3 algorithm ("" without checksum), $4 wanted digest, $5 url, $6 name in a directory dest, then curl's words
const READ = [
  'p="$1"; force="$2"; algo="$3"; want="$4"; url="$5"; if [ -d "$p" ]; then p="$p/$6"; fi; shift 6',
  'if [ ! -e "$p" ]; then code=$("$@" -I -o /dev/null -w "%{http_code}" -- "$url") || exit 90',
  '  if [ -d "$(dirname -- "$p")" ]; then echo "missing $code"; else echo "missing $code nodir"; fi; exit 0; fi',
  'if [ "$force" = 0 ] && [ -n "$algo" ] && [ "$("${algo}sum" < "$p" | cut -d" " -f1)" = "$want" ]; then echo matches; exit 0; fi',
  't=$(mktemp) || exit 91; trap \'rm -f "$t"\' EXIT',
  // If-Modified-Since for http only: curl would skip a file:// copy too, which Ansible never does
  'case "$force:$url" in 0:http*) set -- "$@" -z "$p";; esac',
  'code=$("$@" -o "$t" -w "%{http_code}" -- "$url") || exit 90',
  'printf "fetched %s " "$code"; sha256sum < "$t"',
].join("\n");

export function parseSourceState(rc: number, stdout: string, stderr: string, url: string): SourceState {
  if (rc === 90) return { kind: "error", message: stderr.trim() || `curl could not get ${url}` };
  if (rc !== 0) throw new ProbeError(`cannot read ${url}: ${stderr.trim() || `exit ${rc}`}`);
  const [word = "", code = "", sha = ""] = stdout.trim().split(/\s+/);
  const status = url.startsWith("file:") ? 200 : Number(code);
  if (word === "matches") return { kind: "checksum-matches" };
  if (word === "missing") return { kind: "missing-dest", status, dirExists: sha !== "nodir" };
  if (word === "fetched" && status === 304) return { kind: "not-modified" };
  if (word === "fetched") return { kind: "fetched", status, sha256: sha };
  throw new ProbeError(`unexpected output while reading ${url}: ${stdout.slice(0, 80)}`);
}

/** The fact "what the URL holds against dest"; in check mode after an earlier change, only a removed dest is foreseeable. */
export function sourceFact(request: DownloadRequest): Fact<SourceState> {
  const [algo, want] = splitChecksum(request.checksum) ?? ["", ""];
  return {
    argv: shScript(READ, request.path, request.force ? "1" : "0", algo, want, request.url, request.name, ...curlWords(request)),
    subject: `path:${request.path}`,
    parse: (result) => parseSourceState(result.rc, result.stdout, result.stderr, request.url),
    predict: (after) => ((after as PathAfter).exists ? undefined : { kind: "missing-dest", status: 200, dirExists: true }),
  };
}

// $1 path, $2 algorithm, $3 digest, $4 backup name ("" for none), $5 mode, $6 owner, $7 group, $8 url, then curl's words
const WRITE = [
  'p="$1"; algo="$2"; want="$3"; backup="$4"; mode="$5"; owner="$6"; group="$7"; url="$8"; shift 8',
  't=$(mktemp "$(dirname -- "$p")/.runbook-get_url-XXXXXX") || exit 1; trap \'rm -f "$t"\' EXIT',
  'code=$("$@" -o "$t" -w "%{http_code}" -- "$url") || exit 1',
  'case "$url" in file:*) ;; *) if [ "$code" != 200 ]; then echo "Request failed: HTTP $code" >&2; exit 1; fi;; esac',
  'if [ -e "$p" ]; then chmod --reference="$p" "$t" && chown --reference="$p" "$t"; else chmod 0644 "$t"; fi',
  'if [ -n "$owner" ]; then chown "$owner" "$t"; fi; if [ -n "$group" ]; then chgrp "$group" "$t"; fi; if [ -n "$mode" ]; then chmod "$mode" "$t"; fi',
  'if [ -n "$backup" ] && [ -e "$p" ]; then cp -p -- "$p" "$backup"; fi',
  'if [ -n "$algo" ]; then got=$("${algo}sum" < "$t" | cut -d" " -f1)',
  // Ansible moves the download into place, finds the mismatch, and removes dest
  '  if [ "$got" != "$want" ]; then rm -f -- "$p"; echo "The checksum for $p did not match $want; it was $got." >&2; exit 1; fi; fi',
  'mv -f -- "$t" "$p"',
].join("\n");

/** The step that downloads to a temp file beside the path, checks status and checksum, and renames it into place. */
export function downloadStep(request: DownloadRequest, attributes: { mode?: string | undefined; owner?: string | undefined; group?: string | undefined }, backup: string | undefined): Step {
  const [algo, want] = splitChecksum(request.checksum) ?? ["", ""];
  const args = [request.path, algo, want, backup ?? "", attributes.mode ?? "", attributes.owner ?? "", attributes.group ?? "", request.url];
  return { kind: "run", argv: shScript(WRITE, ...args, ...curlWords(request)), describe: `download ${request.url} to ${request.path}` };
}
