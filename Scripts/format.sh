#!/usr/bin/env bash
# Formats every Swift file in place (tracked, and new ones not ignored), then lints strictly.
set -euo pipefail
cd "$(dirname "$0")/.."
swift_files() {
    git ls-files -z --cached --others --exclude-standard -- '*.swift' |
        while IFS= read -r -d '' file; do if [[ -e $file ]]; then printf '%s\0' "$file"; fi; done
}
swift_files | xargs -0 swift format format --parallel --in-place
swift_files | xargs -0 swift format lint --strict --parallel
