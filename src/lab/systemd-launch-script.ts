/**
 * The fixed script that boots a systemd host, run by `unshare -m` (a private mount namespace,
 * so its mounts vanish with it) with positional arguments only:
 *
 *   systemd-host.sh NAME MACHINE HOSTDIR ROOTFS NETNS
 *
 * It overlays HOSTDIR/upper (seeded with the host's identity) on the shared read-only ROOTFS,
 * then execs systemd-nspawn, which boots systemd as PID 1 in the network namespace NETNS.
 * `--register=no --keep-unit` because the machine has no systemd to register with; a tmpfs on
 * /run/systemd keeps nspawn's runtime files off the machine's /run. nspawn keeps CAP_NET_ADMIN
 * only with --private-network, not with --network-namespace-path, so it is asked for: without
 * it sshd's sessions and services cannot configure the host's own network (ip link, iptables
 * for dockerd, Open vSwitch). CAP_IPC_LOCK lets ovs-vswitchd lock its memory as it asks to.
 * For the same reason SYSTEMD_NSPAWN_API_VFS_WRITABLE=network makes /proc/sys/net writable
 * (the sysctl module, dockerd's forwarding settings); the namespace is the host's own.
 *
 * A reboot inside the host (`systemctl reboot`, `shutdown -r`) makes systemd-nspawn --boot exit
 * with 133: the script then boots the container again, as a machine's firmware would, in the
 * same network namespace (same veth, address and route) on the same overlay (what the host
 * wrote stays, as on a disk), with a new boot id (nspawn makes one per boot). Any other exit
 * (poweroff, a crash) ends the host. nspawn runs in the background so that the TERM `lab down`
 * sends to this script (the host's launcher, whose pid stays the same across reboots) reaches
 * it: nspawn shuts the container down in order, and the script exits with it.
 */
export const SYSTEMD_LAUNCH_SCRIPT = `#!/bin/sh
set -eu
name=$1 machine=$2 dir=$3 rootfs=$4 netns=$5
mkdir -p /run/systemd
mount -t tmpfs -o mode=755 tmpfs /run/systemd
mount -t overlay "rb-$name" -o "lowerdir=$rootfs,upperdir=$dir/upper,workdir=$dir/work" "$dir/merged"
stopping=0 nspawn=
trap 'stopping=1; kill -TERM "$nspawn" 2>/dev/null' TERM INT
while :; do
  SYSTEMD_NSPAWN_API_VFS_WRITABLE=network systemd-nspawn --quiet --boot --register=no --keep-unit --console=pipe \\
    --directory="$dir/merged" --machine="$machine" --network-namespace-path="$netns" \\
    --capability=CAP_NET_ADMIN,CAP_IPC_LOCK --system-call-filter=@keyring \\
    --bind="$dir/vlib-docker:/var/lib/docker" --bind="$dir/vlib-containerd:/var/lib/containerd" </dev/null &
  nspawn=$!
  rc=0
  wait "$nspawn" || rc=$?
  # a trapped TERM ends the wait early: wait on for nspawn's own exit status
  while kill -0 "$nspawn" 2>/dev/null; do rc=0; wait "$nspawn" || rc=$?; done
  if [ "$stopping" = 1 ] || [ "$rc" != 133 ]; then exit "$rc"; fi
  echo "$(date -u +%FT%TZ) rebooting $machine" >&2
done
`;
