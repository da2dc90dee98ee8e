#!/usr/bin/env bash
# Installs the system programs the tests run for real (Redis, a forward proxy, kubectl, a D-Bus
# session with gnome-keyring) when they are missing. `pnpm test` and `.ci/run` both call it, so the
# README's test command passes on a fresh machine by itself. It does nothing when all are present.
set -euo pipefail

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v tinyproxy >/dev/null 2>&1 || [ -x /usr/sbin/tinyproxy ] || need+=(tinyproxy)
# Any kubectl will do; Debian's kubernetes-client only when none is on PATH (some images ship one).
command -v kubectl >/dev/null 2>&1 || need+=(kubernetes-client)
command -v dbus-run-session >/dev/null 2>&1 || need+=(dbus)
command -v gnome-keyring-daemon >/dev/null 2>&1 || need+=(gnome-keyring)

[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
  echo "credchain tests need: ${need[*]}. Install them with your package manager (as root), then run the tests again." >&2
  exit 1
fi
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
echo "installing system packages for the tests: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -qq
as_root apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
