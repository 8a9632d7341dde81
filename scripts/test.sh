#!/usr/bin/env bash
# Installs complaint-triage with its test tools, makes sure the local
# PostgreSQL server is running, and runs the whole test suite (including the
# live Dovecot, SMTP and PostgreSQL tests).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  for version in $(ls /etc/postgresql 2>/dev/null); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  done
  for _ in $(seq 1 30); do
    pg_isready -h 127.0.0.1 -p 5432 -q && break
    sleep 1
  done
fi

export PATH="$PATH:/usr/sbin:/sbin"
exec .venv/bin/python -m pytest -q "$@"
