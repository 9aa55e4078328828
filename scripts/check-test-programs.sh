#!/usr/bin/env bash
# Checks every program in scripts/test-programs.txt: a Debian one must be at its listed path, owned by dpkg
# (not a copy in /usr/local), and its package installed; the Node that runs the tests must be on PATH.
# Prints one line per program; exits 1 naming what is missing. npm: entries come with `npm ci`.
set -euo pipefail
list="$(cd "$(dirname "$0")" && pwd)/test-programs.txt"
failed=0
while read -r name path package _how; do
  case "$package" in npm:*) continue ;; esac
  if [ "$package" != - ] && ! dpkg -s "$package" >/dev/null 2>&1; then
    echo "MISSING package $package (for ${name/#-/a library})" >&2
    failed=1
    continue
  fi
  [ "$name" = - ] && continue
  if [ "$path" = - ]; then
    if found=$(command -v "$name"); then echo "ok  $name → $found"; else echo "MISSING $name on PATH" >&2; failed=1; fi
  elif ! command -v "$path" >/dev/null 2>&1; then
    echo "MISSING $path ($name, Debian package $package)" >&2
    failed=1
  elif ! dpkg -S "$path" >/dev/null 2>&1; then
    echo "NOT DEBIAN'S $path: dpkg does not know it (list the path the package $package installs)" >&2
    failed=1
  else
    echo "ok  $name → $path ($package)"
  fi
done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$list")
if [ "$failed" -ne 0 ]; then
  echo "Some test programs are missing: run scripts/setup-test-machine.sh as root." >&2
  exit 1
fi
