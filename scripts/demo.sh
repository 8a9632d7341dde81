#!/usr/bin/env bash
# Installs complaint-triage and runs the main job on the bundled sample
# mailbox: every message is parsed, triaged and stored, draft records are
# created and the notifications are written to demo/outbox (no SMTP server
# is configured).  Each run starts from an empty demo database.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

# samples/config.toml puts the database and the outbox under demo/.
rm -rf demo
mkdir -p demo
.venv/bin/complaint-triage --config samples/config.toml ingest samples/mailbox
echo
echo "Notifications (no SMTP server is configured) were written to demo/outbox/:"
ls demo/outbox | head -n 60
echo
echo "More: .venv/bin/complaint-triage --config samples/config.toml records --json"
echo "      .venv/bin/complaint-triage --config samples/config.toml messages"
