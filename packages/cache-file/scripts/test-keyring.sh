#!/usr/bin/env bash
# Runs @credchain/cache-file's OS-keyring test against a real Secret Service: gnome-keyring on a
# private D-Bus session, with a throwaway keyring directory. Installs the Debian packages it
# needs when they are missing (as root, or through sudo).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$repo_root"

missing=()
command -v dbus-run-session >/dev/null 2>&1 || missing+=(dbus-daemon)
command -v gnome-keyring-daemon >/dev/null 2>&1 || missing+=(gnome-keyring)
if ((${#missing[@]} > 0)); then
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y --no-install-recommends \
    dbus dbus-daemon gnome-keyring
fi

# The test spawns processes that import the built package.
npx tsc -b packages/cache-file

keyring_home="$(mktemp -d)"
trap 'rm -rf "$keyring_home"' EXIT

# gnome-keyring creates (or unlocks) a "login" keyring in XDG_DATA_HOME with the password read
# from stdin, then serves org.freedesktop.secrets on the session bus that dbus-run-session made.
XDG_DATA_HOME="$keyring_home" dbus-run-session -- sh -c '
  echo credchain-keyring-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  CREDCHAIN_TEST_KEYRING=1 npx vitest run --project cache-file keyring.test
'
