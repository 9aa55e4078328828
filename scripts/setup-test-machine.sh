#!/usr/bin/env bash
# Debian packages the test tiers use: the peer parsers (python-dotenv, docker-compose v1), OpenSSL for
# throwaway certificates, nginx and Caddy to check the proxy configuration we write, and a real
# Secret Service keyring (gnome-keyring on D-Bus) for the keychain tests, and Postfix with Cyrus SASL as
# a production-grade SMTP peer (configured per test run in a temp folder; never delivers anything), and
# Debian's Chromium for the browser tests (Playwright cannot download its own browser here); a compiler for
# n8n's sqlite3 when its prebuilt binary cannot be fetched, and util-linux (unshare, setpriv) for the
# acceptance tier's container stand-in. Needs root; skips what is already installed.
set -euo pipefail
packages=(python3-dotenv docker-compose openssl nginx-light caddy gnome-keyring dbus libsecret-1-0 postfix sasl2-bin libsasl2-modules chromium build-essential util-linux)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install -y ${missing[*]})" >&2
    exit 1
  fi
  apt-get update -qq
  # Postfix without a system configuration: no mailer starts, nothing listens on port 25.
  echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
