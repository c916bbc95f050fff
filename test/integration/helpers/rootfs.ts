/**
 * The one package list every systemd lab in the suite bakes into its rootfs. The rootfs cache
 * is keyed by this list, so one list means one debootstrap build per machine (several minutes
 * on a fresh CI machine) instead of one per test file. scripts/demo.sh uses the same list.
 */
export const SYSTEMD_LAB_PACKAGES: readonly string[] = [
  "etcd-server",
  "etcd-client",
  "openvswitch-switch",
  "docker.io",
  "iptables",
  "bridge-utils",
  "openssl",
  "sudo",
  "iproute2",
  "busybox-static",
];
