#!/usr/bin/env bash
# Installs what the remote-backend tests need for their throwaway sshd (SshTestHost): the OpenSSH
# server and client and iproute2, from Debian, when any of them is missing. Never starts the
# system's sshd: the tests run their own, inside a network namespace they create.
# (The namespace listener test also uses busybox, which .ci/docker-engine.sh installs.)
set -euo pipefail

have() {
  command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]
}

if [ -x /usr/sbin/sshd ] && have ssh-keygen && have ssh && have ip; then
  echo "== sshd, ssh, ssh-keygen and ip present"
  exit 0
fi

echo "== installing openssh-server, openssh-client and iproute2"
# Package scripts start services through invoke-rc.d; a policy-rc.d answering 101 forbids that.
# Only one written here is removed again.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod 755 "$policy"
  trap 'rm -f "$policy"' EXIT
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq openssh-server openssh-client iproute2 >/dev/null

for tool in ssh-keygen ssh ip; do
  have "$tool" || { echo "$tool still missing after the install" >&2; exit 1; }
done
[ -x /usr/sbin/sshd ] || { echo "/usr/sbin/sshd still missing after the install" >&2; exit 1; }
echo "== sshd, ssh, ssh-keygen and ip installed"
