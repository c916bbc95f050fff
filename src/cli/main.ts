/** Entry point: parses argv, runs a subcommand, maps errors to Ansible's exit codes. */
export async function main(argv: readonly string[]): Promise<number> {
  process.stderr.write(`runbook: not implemented yet (${argv.join(" ")})\n`);
  return 1;
}
