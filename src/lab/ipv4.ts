/** IPv4 addresses and CIDR subnets as numbers: parsing, membership, overlap, the n-th address. */

export interface Subnet {
  /** The network address as an unsigned 32-bit number. */
  readonly network: number;
  readonly prefix: number;
}

const OCTETS = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The address as an unsigned 32-bit number, or undefined when it is not dotted-quad IPv4. */
export function parseAddress(text: string): number | undefined {
  const match = OCTETS.exec(text.trim());
  if (!match) return undefined;
  const octets = match.slice(1).map(Number);
  if (octets.some((octet) => octet > 255)) return undefined;
  return octets.reduce((value, octet) => value * 256 + octet, 0);
}

export function formatAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/** "10.88.0.0/24" -> Subnet; host bits must be zero. Undefined when malformed. */
export function parseSubnet(text: string): Subnet | undefined {
  const [address, prefixText, extra] = text.trim().split("/");
  if (address === undefined || prefixText === undefined || extra !== undefined || !/^\d{1,2}$/.test(prefixText)) {
    return undefined;
  }
  const prefix = Number(prefixText);
  const network = parseAddress(address);
  if (network === undefined || prefix > 32) return undefined;
  if (network % blockSize(prefix) !== 0) return undefined;
  return { network, prefix };
}

export function formatSubnet(subnet: Subnet): string {
  return `${formatAddress(subnet.network)}/${subnet.prefix}`;
}

export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

export function contains(subnet: Subnet, address: number): boolean {
  return address >= subnet.network && address < subnet.network + blockSize(subnet.prefix);
}

export function overlaps(a: Subnet, b: Subnet): boolean {
  const aEnd = a.network + blockSize(a.prefix);
  const bEnd = b.network + blockSize(b.prefix);
  return a.network < bEnd && b.network < aEnd;
}

/** The subnet's n-th address (1 = the first usable one). */
export function nthAddress(subnet: Subnet, n: number): number {
  return subnet.network + n;
}

/** Whether the address can be a host: not the network or broadcast address of the subnet. */
export function isUsableHost(subnet: Subnet, address: number): boolean {
  return contains(subnet, address) && address !== subnet.network && address !== subnet.network + blockSize(subnet.prefix) - 1;
}
