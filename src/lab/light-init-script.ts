/**
 * The fixed script a light host runs as its first process, inside fresh net, uts, ipc, mount,
 * pid and cgroup namespaces (made by `unshare`). It is written once per lab to a file and run
 * with positional arguments only, so nothing is ever pasted into shell text:
 *
 *   host-init.sh NAME HOSTDIR [MOUNTDIR FSTYPE OPTIONS]...
 *
 * HOSTDIR holds upper/DIR for each of OVERLAID_DIRS (already seeded with the host's identity), work/,
 * root/, home/ and vlib-{docker,containerd}/. Each trailing triple recreates one of the
 * machine's cgroup mounts (MOUNTDIR relative to /sys/fs/cgroup, "." for the mount itself).
 * It ends by starting sshd and exec'ing tini, which stays PID 1 and reaps orphans.
 */
import { OVERLAID_DIRS } from "./host-light.js";

export const LIGHT_INIT_SCRIPT = `#!/bin/sh
set -eu
name=$1 dir=$2
shift 2
cd /
hostname "$name"
mount --make-rprivate /
# copy-on-write views of the machine's own directories
for d in ${OVERLAID_DIRS.join(" ")}; do
  # overlayfs refuses an upper layer inside its lower one: a lab kept below /mnt shares /mnt
  case "$dir" in "/$d"/*) continue ;; esac
  mount -t overlay "rb-$name-$d" -o "lowerdir=/$d,upperdir=$dir/upper/$d,workdir=$dir/work/$d" "/$d"
done
# only the host's own sshd key (seeded in the upper layer) may be used
rm -f /etc/ssh/ssh_host_rsa_key /etc/ssh/ssh_host_rsa_key.pub /etc/ssh/ssh_host_ecdsa_key /etc/ssh/ssh_host_ecdsa_key.pub
# docker's overlay2 and containerd's snapshotter cannot live on overlayfs: plain directories
for d in docker containerd; do
  mkdir -p "/var/lib/$d"
  mount --bind "$dir/vlib-$d" "/var/lib/$d"
done
mount -t proc proc /proc
mount -t sysfs sysfs /sys
if [ $# -ge 3 ] && [ "$1" != "." ]; then
  mount -t tmpfs -o mode=755 cgroup /sys/fs/cgroup
fi
while [ $# -ge 3 ]; do
  target=/sys/fs/cgroup/$1
  mkdir -p "$target"
  if [ -n "$3" ]; then mount -t "$2" -o "$3" cgroup "$target"; else mount -t "$2" cgroup "$target"; fi
  shift 3
done
mount -t tmpfs -o mode=755,size=256m tmpfs /run
mkdir -p /run/sshd /run/lock
# last: these hide the machine's /root, /home, /tmp (the state directory may be below them)
mount --bind "$dir/root" /root
mount --bind "$dir/home" /home
mount -t tmpfs -o mode=1777,size=512m tmpfs /tmp
exec </dev/null
/usr/sbin/sshd -E /var/log/sshd.log
exec tini -s -- sleep infinity
`;
