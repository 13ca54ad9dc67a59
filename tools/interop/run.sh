#!/usr/bin/env bash
# Regenerates the signature vectors in aliapi-core/tests/vectors/ with the
# official Python SDKs, installed into a throwaway virtualenv under /tmp
# (nothing is installed into the repository or the system Python).
#
# Usage: tools/interop/run.sh            # regenerate both files
#        KEEP_VENV=1 tools/interop/run.sh  # keep the venv for another run
#
# CI does not run this: the JSON files it writes are committed, and the Rust
# tests (interop_v1, interop_v3, seeds) read them.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$repo/aliapi-core/tests/vectors"
python="${PYTHON:-python3}"

# Pinned: the vectors were generated with exactly these versions (the SDKs,
# and the Tea SDK's own dependencies that shape the signed headers).
pins=(
  "aliyun-python-sdk-core==2.16.1"
  "alibabacloud-tea-openapi==0.4.6"
  "alibabacloud-credentials==1.0.12"
  "alibabacloud-gateway-spi==0.0.4"
  "alibabacloud-tea==0.4.3"
  "alibabacloud-tea-util==0.3.15"
  "darabonba-core==1.0.9"
)

venv="$(mktemp -d /tmp/aliapi-interop-venv.XXXXXX)"
cleanup() {
  if [[ -z "${KEEP_VENV:-}" ]]; then
    rm -rf "$venv"
  else
    echo "venv kept at $venv"
  fi
}
trap cleanup EXIT

"$python" -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "${pins[@]}"

mkdir -p "$out"
mkdir -p "$repo/aliapi-wire/tests/vectors"
# A fixed hash seed keeps any set/dict iteration inside the SDKs stable.
PYTHONHASHSEED=0 "$venv/bin/python" "$here/v1_vectors.py" "$out/v1_signatures.json"
PYTHONHASHSEED=0 "$venv/bin/python" "$here/v3_vectors.py" "$repo/aliapi-wire/tests/vectors/v3_signatures.json"

echo "done; now run: cargo test -p aliapi-core --test interop_v1 --test seeds && cargo test -p aliapi-wire --test interop_v3"
