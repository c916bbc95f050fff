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
 */
export const SYSTEMD_LAUNCH_SCRIPT = `#!/bin/sh
set -eu
name=$1 machine=$2 dir=$3 rootfs=$4 netns=$5
mkdir -p /run/systemd
mount -t tmpfs -o mode=755 tmpfs /run/systemd
mount -t overlay "rb-$name" -o "lowerdir=$rootfs,upperdir=$dir/upper,workdir=$dir/work" "$dir/merged"
SYSTEMD_NSPAWN_API_VFS_WRITABLE=network exec systemd-nspawn --quiet --boot --register=no --keep-unit --console=pipe \\
  --directory="$dir/merged" --machine="$machine" --network-namespace-path="$netns" \\
  --capability=CAP_NET_ADMIN,CAP_IPC_LOCK --system-call-filter=@keyring \\
  --bind="$dir/vlib-docker:/var/lib/docker" --bind="$dir/vlib-containerd:/var/lib/containerd" </dev/null
`;
