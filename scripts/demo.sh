#!/usr/bin/env bash
# Installs complaint-triage and runs the main job on the bundled sample
# mailbox: every message is parsed, triaged and stored, draft records are
# created and the notifications are written to ./outbox (no SMTP configured).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

export TRIAGE_DATABASE_URL="${TRIAGE_DATABASE_URL:-sqlite:///demo/complaint-triage.db}"
export TRIAGE_NOTIFY_OUTBOX="${TRIAGE_NOTIFY_OUTBOX:-demo/outbox}"
mkdir -p demo
.venv/bin/complaint-triage --config samples/config.toml ingest samples/mailbox
echo
echo "Notifications (no SMTP server configured) are in: $TRIAGE_NOTIFY_OUTBOX/"
ls "$TRIAGE_NOTIFY_OUTBOX" | head -n 40
echo
echo "Database: ${TRIAGE_DATABASE_URL}"
echo "Try: .venv/bin/complaint-triage --config samples/config.toml records --json"
