#!/usr/bin/env bash
# `npm run demo`: on a fresh Debian, as root: install what is missing, build runbook, bring up
# the lab cluster of inventory/lab.yaml (systemd hosts k8s-master, k8s-node1, k8s-node2), fill
# the artifacts directory with TEST STAND-INS for the Kubernetes and flannel binaries, run
# playbooks/site.yaml on it, and say how to look around. Run it again: nothing changes.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "demo: run as root (the lab builds hosts from Linux namespaces): sudo npm run demo" >&2
  exit 1
fi

# The lab's name (RUNBOOK_DEMO_LAB, default "default"); its subnet is inventory/lab.yaml's.
LAB=${RUNBOOK_DEMO_LAB:-default}
SUBNET=10.88.0.0/24
# the same list as test/integration/helpers/rootfs.ts, so the demo and the tests share one cached rootfs
PACKAGES=etcd-server,etcd-client,openvswitch-switch,docker.io,iptables,bridge-utils,openssl,sudo,iproute2,busybox-static
ARTIFACTS=.runbook/artifacts   # inventory/group_vars/lab_cluster.yaml points artifacts_dir here

echo "==> Debian packages"
scripts/install-deps.sh
if [ ! -d node_modules ]; then
  echo "==> npm ci"
  npm ci --no-audit --no-fund
fi
echo "==> build"
npm run --silent build

echo "==> stand-in binaries in $ARTIFACTS (NOT Kubernetes: see test/fixtures/artifacts/README.md)"
scripts/standin-artifacts.sh "$ARTIFACTS"

echo "==> lab '$LAB' from inventory/lab.yaml (systemd hosts; the first time builds a Debian rootfs, a few minutes)"
node bin/runbook.js lab up --name "$LAB" --subnet "$SUBNET" -i inventory/lab.yaml --init systemd --underlay --packages "$PACKAGES"

echo "==> playbooks/site.yaml"
status=0
node bin/runbook.js playbooks/site.yaml -i inventory/lab.yaml -i ".runbook/lab/$LAB/inventory.yaml" || status=$?

cat <<TXT

Look around:
  node bin/runbook.js lab status --name $LAB           # the hosts and their addresses
  node bin/runbook.js lab ssh --name $LAB k8s-master   # a shell on the master (also k8s-node1, k8s-node2)
  node bin/runbook.js lab ssh --name $LAB k8s-master -- ETCDCTL_API=3 etcdctl member list
  node bin/runbook.js lab ssh --name $LAB k8s-master -- cat /etc/kubernetes/apiserver /var/log/standin/kube-apiserver.args
  node bin/runbook.js playbooks/site.yaml -i inventory/lab.yaml -i .runbook/lab/$LAB/inventory.yaml --check
                                                       # a rerun changes nothing
  node bin/runbook.js lab down --name $LAB             # remove the lab
TXT
exit $status
