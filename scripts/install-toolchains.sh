#!/usr/bin/env bash
# Python (FastAPI, Flask, PyJWT, httpx, mypy) and Go (with golang-jwt) from Debian's packages, so
# the tests can compile, type-check (mypy --strict) and run the handlers HookLens generates.
# Nothing is downloaded from PyPI or the Go proxy (this machine reaches only npm and Debian); the
# Go tests point golang-jwt at Debian's copy.
set -euo pipefail
packages=(golang-go python3-fastapi python3-flask python3-jwt python3-httpx python3-mypy python3-cryptography golang-github-golang-jwt-jwt-dev)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-toolchains: missing ${missing[*]}; run as root (or install them) to check generated Python and Go code." >&2
  exit 0
fi
echo "install-toolchains: installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
