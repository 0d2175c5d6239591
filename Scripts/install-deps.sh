#!/usr/bin/env bash
# Installs the Debian packages the build needs, when they are missing: libcurl and jansson
# headers, pkg-config, zlib headers (for .xlsx), tzdata. Uses sudo when not root.
set -euo pipefail

packages=(libcurl4-openssl-dev libjansson-dev pkg-config zlib1g-dev tzdata)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "installing: ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
