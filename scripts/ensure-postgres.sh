#!/usr/bin/env bash
# Make sure the PostgreSQL server binaries (initdb, pg_ctl) exist; install them with apt-get if not.
# The test suite starts its own throwaway cluster from them; nothing here starts a service.
set -euo pipefail

have_pg() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 \
    || { [ -n "${GUTBOT_PG_BIN:-}" ] && [ -x "${GUTBOT_PG_BIN}/initdb" ]; }
}

if have_pg; then
  exit 0
fi

echo "PostgreSQL server binaries not found: installing them with apt-get (package postgresql)…"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "error: PostgreSQL is missing and this user cannot install packages (not root, no sudo)." >&2
  echo "Install the 'postgresql' package, or set GUTBOT_PG_BIN to a folder with initdb and pg_ctl." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
if ! have_pg; then
  echo "error: apt-get finished but initdb is still missing." >&2
  exit 1
fi
echo "PostgreSQL installed."
