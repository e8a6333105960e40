#!/usr/bin/env bash
# Regenerates the committed sqlx offline query data (.sqlx/) after a change to a query or a
# migration: builds a throw-away database from crates/store/migrations and lets
# `cargo sqlx prepare` check every query against it. Needs sqlx-cli 0.9:
#   cargo install sqlx-cli --version 0.9.0 --no-default-features --features sqlite,rustls
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export DATABASE_URL="sqlite:$tmp/prepare.db"

sqlx database create
sqlx migrate run --source crates/store/migrations
# .cargo/config.toml sets SQLX_OFFLINE=true; an explicit value in the environment wins.
SQLX_OFFLINE=false cargo sqlx prepare --workspace "$@"
echo "sqlx offline data written to $root/.sqlx; commit it."
