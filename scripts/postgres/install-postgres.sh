#!/usr/bin/env bash
# Installs PostgreSQL (and openssl, which the throwaway cluster uses for its TLS certificate) from
# Debian's packages when missing. The tests and benchmarks start their own throwaway cluster from
# its binaries (initdb, pg_ctl); no system service is used.
set -euo pipefail
if compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null && command -v openssl >/dev/null; then
  exit 0
fi
SUDO=''
if [ "$(id -u)" -ne 0 ]; then SUDO='sudo'; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# postgresql-common would start a system cluster on 5432; the tests never use it, so do not start it.
echo exit 101 | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
$SUDO chmod +x /usr/sbin/policy-rc.d
$SUDO apt-get install -y -qq postgresql openssl >/dev/null
$SUDO rm -f /usr/sbin/policy-rc.d
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
