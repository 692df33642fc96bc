#!/usr/bin/env bash
# Builds PgBouncer 1.24.1 (Debian 13's; Debian 12 ships 1.18, without protocol-level prepared
# statements) from Debian's source tarball, checked against its pinned SHA-256, into
# .pgbouncer/1.24.1/bin/pgbouncer at the repository root, for the PostgreSQL backend's test
# behind PgBouncer 1.21+. Idempotent: does nothing when that binary is there. Quiet unless it
# fails. Needs curl, a C compiler, make, pkg-config and the libevent and OpenSSL headers
# (Debian: apt-get install build-essential pkg-config libevent-dev libssl-dev).
set -euo pipefail

version=1.24.1
sha256=da72a3aba13072876d055a3e58dd4aba4a5de4ed6148e73033185245598fd3e0
url="http://deb.debian.org/debian/pool/main/p/pgbouncer/pgbouncer_${version}.orig.tar.gz"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target="$root/.pgbouncer/$version/bin/pgbouncer"
[ -x "$target" ] && exit 0

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log="$work/log"
fail() {
  cat "$log" >&2 2>/dev/null || true
  echo "build.sh: $1" >&2
  exit 1
}

for tool in curl make cc pkg-config sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool not found (Debian: apt-get install build-essential pkg-config curl)"
done
pkg-config --exists libevent || fail "libevent's headers not found (Debian: apt-get install libevent-dev)"
pkg-config --exists openssl || fail "OpenSSL's headers not found (Debian: apt-get install libssl-dev)"

curl --fail --silent --show-error --location --retry 3 --output "$work/source.tar.gz" "$url" >"$log" 2>&1 ||
  fail "could not download $url"
echo "$sha256  $work/source.tar.gz" | sha256sum --check --quiet >"$log" 2>&1 ||
  fail "$url is not the pinned PgBouncer $version (SHA-256 differs)"
tar -xzf "$work/source.tar.gz" -C "$work"
cd "$work/pgbouncer-$version"
# No c-ares (the built-in evdns resolves; the tests connect to 127.0.0.1), no pandoc (man pages).
./configure --without-cares --with-openssl >"$log" 2>&1 || fail "configure failed"
make -j"$(nproc 2>/dev/null || echo 2)" pgbouncer >"$log" 2>&1 || fail "make failed"
./pgbouncer --version >"$log" 2>&1 || fail "the built pgbouncer does not run"
grep -q "PgBouncer $version" "$log" || fail "the built pgbouncer is not $version"
mkdir -p "$(dirname "$target")"
cp pgbouncer "$target"
