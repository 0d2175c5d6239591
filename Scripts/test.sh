#!/usr/bin/env bash
# The README's second command: installs what is missing, checks formatting, builds without
# warnings and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

Scripts/install-deps.sh

echo "== format (swift format lint --strict)" >&2
# Tracked files and new ones not yet added (a new adapter's), but not ignored ones (.build/);
# a tracked file deleted in the work tree is left out.
swift_files() {
    git ls-files -z --cached --others --exclude-standard -- '*.swift' |
        while IFS= read -r -d '' file; do if [[ -e $file ]]; then printf '%s\0' "$file"; fi; done
}
swift_files | xargs -0 swift format lint --strict --parallel

echo "== build (warnings are errors)" >&2
swift build --build-tests -Xswiftc -warnings-as-errors

echo "== tests" >&2
swift test --skip-build -Xswiftc -warnings-as-errors
