#!/usr/bin/env bash
# Build figures for BENCHMARKS.md: clean release build of the workspace and
# the quickstart, crates compiled, binary size, and the rebuild after one
# generated CDN operation changes. Uses its own target directory.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${TARGET_DIR:-/tmp/aliapi-build-measure}
rm -rf "$target"
export CARGO_TARGET_DIR=$target CARGO_TERM_COLOR=never

cargo fetch --quiet
start=$(date +%s.%N)
cargo build --release --workspace --example quickstart 2> "$target.log"
end=$(date +%s.%N)
crates=$(grep -c '^ *Compiling ' "$target.log")
size=$(stat -c %s "$target/release/examples/quickstart")
printf 'clean release build: %.1f s, %d crates compiled, quickstart binary %.1f MB\n' \
  "$(echo "$end - $start" | bc)" "$crates" "$(echo "$size / 1000000" | bc -l)"

op=aliapi-cdn/src/operations/add_cdn_domain.rs
cp "$op" "$op.bak"
trap 'mv "$op.bak" "$op"' EXIT
echo '// touched by tools/measure-build.sh' >> "$op"
start=$(date +%s.%N)
cargo build --release --workspace --example quickstart 2> /dev/null
end=$(date +%s.%N)
printf 'release rebuild after changing one CDN operation: %.1f s\n' "$(echo "$end - $start" | bc)"
# The everyday loop: a dev build, warm, after the same one-line change.
cargo build --workspace --example quickstart 2> /dev/null
echo '// touched again' >> "$op"
start=$(date +%s.%N)
cargo build --workspace --example quickstart 2> /dev/null
end=$(date +%s.%N)
printf 'dev (incremental) rebuild after changing one CDN operation: %.1f s\n' "$(echo "$end - $start" | bc)"
