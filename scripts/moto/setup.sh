#!/usr/bin/env bash
# Installs the pinned moto server (scripts/moto/requirements.txt) into .venv-moto/ at the
# repository root, for the DynamoDB backend's moto conformance run. Idempotent: does
# nothing when the virtualenv already holds exactly these pins. Quiet unless it fails.
# Needs python3 (3.11 or later, with venv and pip); set PYTHON to use another interpreter.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
requirements="$root/scripts/moto/requirements.txt"
venv="$root/.venv-moto"
stamp="$venv/.requirements.txt"
# Biome has no other way to learn that the virtualenv is not the project's code (its
# JSON files would fail `biome check .`): a nested configuration that includes nothing.
biome_config='{ "root": false, "files": { "includes": ["!**"] } }'
python="${PYTHON:-python3}"

moto_pin="$(grep -E '^moto\[server\]==' "$requirements" | sed -E 's/^moto\[server\]==//')"
if [ -z "$moto_pin" ]; then
  echo "setup.sh: no moto[server]==<version> line in $requirements" >&2
  exit 1
fi

installed_moto() {
  "$venv/bin/python" -c 'from importlib.metadata import version; print(version("moto"))' 2>/dev/null
}

if [ -f "$stamp" ] && cmp -s "$stamp" "$requirements" && [ "$(installed_moto || true)" = "$moto_pin" ]; then
  [ -f "$venv/biome.json" ] || echo "$biome_config" >"$venv/biome.json"
  exit 0
fi

if ! command -v "$python" >/dev/null 2>&1; then
  echo "setup.sh: $python not found; moto $moto_pin needs Python 3.11 or later (set PYTHON to another interpreter)" >&2
  exit 1
fi
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "setup.sh: $python is Python $("$python" -c 'import platform; print(platform.python_version())'); the pins in $requirements need 3.11 or later (set PYTHON to another interpreter)" >&2
  exit 1
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
fail() {
  cat "$log" >&2
  echo "setup.sh: $1" >&2
  exit 1
}

# A virtualenv with other pins (or a broken one) is rebuilt whole, so nothing stale remains.
rm -rf "$venv"
"$python" -m venv "$venv" >"$log" 2>&1 ||
  fail "could not create a virtualenv with $python -m venv (on Debian and Ubuntu: apt-get install python3-venv)"
echo "$biome_config" >"$venv/biome.json"
PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 \
  "$venv/bin/python" -m pip install --quiet --requirement "$requirements" >"$log" 2>&1 ||
  fail "pip could not install $requirements into $venv"
[ "$(installed_moto || true)" = "$moto_pin" ] || fail "moto $moto_pin is not what $venv holds after the install"
"$venv/bin/python" -c 'import moto.server, moto.dynamodb' >"$log" 2>&1 ||
  fail "moto's server does not import in $venv"
cp "$requirements" "$stamp"
