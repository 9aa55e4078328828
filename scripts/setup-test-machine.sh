#!/usr/bin/env bash
# Installs the Debian packages of every program the tests, e2e specs, benchmarks and CI scripts run, as
# scripts/test-programs.txt lists them (test/programs/program-list.test.ts keeps that list complete), then
# checks that each listed program is where Debian puts it. Needs root to install; skips what is installed.
set -euo pipefail
list="$(cd "$(dirname "$0")" && pwd)/test-programs.txt"

# PACKAGE column: Debian packages only (not `-`, the Node that runs the tests, nor npm: packages).
missing=()
while read -r _name _path package _how; do
  case "$package" in - | npm:*) continue ;; esac
  case " ${missing[*]} " in *" $package "*) continue ;; esac
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$list")
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install -y ${missing[*]})" >&2
    exit 1
  fi
  echo "Installing Debian packages: ${missing[*]}"
  apt-get update -qq
  # Postfix without a system configuration: no mailer starts, nothing listens on port 25.
  echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
  # No service starts from a package's install (openssh-server, postfix): tests start their own, on loopback.
  # Where the machine has no policy yet (a container image usually has one), one is in place for the install only.
  policy=/usr/sbin/policy-rc.d
  own_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && own_policy=1
  fi
  installed=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || installed=$?
  if [ "$own_policy" = 1 ]; then rm -f "$policy"; fi
  [ "$installed" = 0 ] || exit "$installed"
fi
