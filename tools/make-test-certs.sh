#!/usr/bin/env bash
# Writes the TLS fixtures of the workspace tests: a test CA and a server
# certificate it signed for 127.0.0.1 and localhost, valid for a century, so
# that tests can run an HTTPS server on loopback. Not used by CI; run it only
# to replace the fixtures.
set -euo pipefail
out="$(dirname "$0")/../tests/fixtures/tls"
mkdir -p "$out"
cd "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 36500 -subj "/CN=aliapi test CA" \
  -keyout "$tmp/ca.key" -out ca.pem -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign"
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server.key -out "$tmp/server.csr"
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$tmp/ext"
openssl x509 -req -in "$tmp/server.csr" -CA ca.pem -CAkey "$tmp/ca.key" -CAcreateserial \
  -days 36500 -out server.pem -extfile "$tmp/ext"
rm -f ca.srl
