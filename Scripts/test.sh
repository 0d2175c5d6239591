#!/usr/bin/env bash
# The README's second command: installs what is missing, checks formatting, builds without
# warnings and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

Scripts/install-deps.sh

echo "== format (swift format lint --strict)" >&2
git ls-files -z '*.swift' | xargs -0 swift format lint --strict --parallel

echo "== build (warnings are errors)" >&2
swift build --build-tests -Xswiftc -warnings-as-errors

echo "== tests" >&2
swift test --skip-build -Xswiftc -warnings-as-errors
