#!/usr/bin/env bash
# Debian packages runbook's lab and tests use. Safe to run again: installs only what is missing.
set -euo pipefail
packages=(
  openssh-server openssh-client sudo iproute2 iputils-ping nftables tini util-linux
  systemd-container debootstrap
  etcd-server etcd-client openvswitch-switch docker.io busybox-static
  tmux chromium
  ansible-core ansible python3-netaddr
  cron
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "runbook: these Debian packages are missing: ${missing[*]} (run this script as root to install them)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The machine's own services must not run: labs start their own daemons inside hosts.
  for s in ssh etcd openvswitch-switch docker containerd cron; do
    systemctl disable --now "$s" >/dev/null 2>&1 || true
  done
fi
