#!/usr/bin/env bash
# Renders a report's HTML file to a PNG with headless Chromium, to look at a report (or attach
# it to an issue) without a browser.
#
#   Scripts/render-report-png.sh report.html [report.png] [WIDTHxHEIGHT]
#
# The default size, 420x3000, is a phone-width page tall enough for the charts; pass
# 1280x4000 for a desktop view. Installs the Debian `chromium` package when it is missing
# (needs root or sudo), and fonts-noto-cjk when no Chinese font is installed.
set -euo pipefail

usage() { echo "usage: $0 REPORT.html [OUT.png] [WIDTHxHEIGHT]" >&2; exit 2; }
[[ $# -ge 1 && $# -le 3 ]] || usage
html=$1
[[ -f $html ]] || { echo "$0: $html: no such file" >&2; exit 2; }
png=${2:-${html%.html}.png}
size=${3:-420x3000}
[[ $size =~ ^([0-9]+)x([0-9]+)$ ]] || { echo "$0: size must look like 420x3000, got $size" >&2; exit 2; }
width=${BASH_REMATCH[1]}
height=${BASH_REMATCH[2]}

browser=""
for candidate in chromium chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then browser=$candidate; break; fi
done
if [[ -z $browser ]]; then
    echo "$0: chromium not found; installing it from apt" >&2
    sudo_cmd=""
    [[ $(id -u) -eq 0 ]] || sudo_cmd=sudo
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
    browser=chromium
fi

# Without a CJK font every Chinese character renders as a box.
if command -v fc-list >/dev/null 2>&1 && [[ -z $(fc-list :lang=zh 2>/dev/null | head -1) ]]; then
    echo "$0: no Chinese font found; installing fonts-noto-cjk from apt" >&2
    sudo_cmd=""
    [[ $(id -u) -eq 0 ]] || sudo_cmd=sudo
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq fonts-noto-cjk >/dev/null
fi

# Absolute file URL: Chromium resolves relative paths against its own working directory.
abs=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
out_abs=$(cd "$(dirname "$png")" && pwd)/$(basename "$png")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

# --no-sandbox: containers and CI usually run as root, where the sandbox refuses to start.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$profile" \
    --window-size="$width,$height" \
    --screenshot="$out_abs" \
    "file://$abs" >/dev/null 2>&1 || {
    echo "$0: $browser failed to render $html" >&2
    exit 1
}
[[ -s $out_abs ]] || { echo "$0: no image was written to $out_abs" >&2; exit 1; }
echo "$out_abs"
