/** `serial:` batching: split a play's hosts into the batches Ansible would run one after another. */

export function serialBatches<T>(hosts: readonly T[], serial: readonly (number | string)[]): T[][] {
  if (serial.length === 0) return hosts.length > 0 ? [[...hosts]] : [];
  const batches: T[][] = [];
  let index = 0;
  let step = 0;
  while (index < hosts.length) {
    // The last size given repeats, as in Ansible.
    const spec = serial[Math.min(step, serial.length - 1)] as number | string;
    const size = Math.max(1, batchSize(spec, hosts.length));
    batches.push(hosts.slice(index, index + size));
    index += size;
    step += 1;
  }
  return batches;
}

function batchSize(spec: number | string, total: number): number {
  if (typeof spec === "number") return spec <= 0 ? total : spec;
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(spec.trim());
  if (percent) return Math.floor((Number(percent[1]) / 100) * total);
  const count = Number(spec);
  return Number.isFinite(count) && count > 0 ? count : total;
}
