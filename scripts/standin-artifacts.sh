#!/bin/sh
# Fills an artifacts directory with TEST STAND-INS for the Kubernetes and flannel daemons
# (test/fixtures/artifacts/README.md): one copy of standin-daemon.sh per daemon name.
# usage: scripts/standin-artifacts.sh DIR
set -eu
dest=${1:?usage: $0 ARTIFACTS_DIR}
src=$(dirname "$0")/../test/fixtures/artifacts/standin-daemon.sh
mkdir -p "$dest"
for name in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy flanneld; do
  cp "$src" "$dest/$name"
  chmod 0755 "$dest/$name"
done
cat > "$dest/STAND-INS.txt" <<'TXT'
The executables in this directory are TEST STAND-INS, not Kubernetes or flannel: each records
its arguments and environment under /var/log/standin/ and idles. See
test/fixtures/artifacts/README.md in the runbook repository.
TXT
