#!/usr/bin/env bash
# Installs what complaint-triage needs on a fresh Debian/Ubuntu machine:
# Dovecot (for the live IMAP tests) and a virtual environment in .venv with
# the project and its test tools.  Safe to run again; it skips what is done.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v dovecot >/dev/null 2>&1 && command -v doveadm >/dev/null 2>&1 \
  || need_apt+=(dovecot-imapd)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3 python3-venv)
if [ "${#need_apt[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
  else
    echo "setup: please install ${need_apt[*]} (apt-get) and run again" >&2
    [ -n "$(command -v python3)" ] || exit 1
  fi
fi

stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  python3 -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[test]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
