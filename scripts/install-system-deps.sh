#!/usr/bin/env bash
# Installs what the tests need from Debian when it is missing: as root with apt-get,
# otherwise it says what to install.
set -euo pipefail

declare -A package_for=(
  [/usr/bin/chromium]=chromium
  [/usr/bin/pdfinfo]=poppler-utils
  [/usr/bin/java]=default-jre-headless
  # tests/EpubCheckEach.java runs from source: the JDK's compiler.
  [/usr/bin/javac]=default-jdk-headless
  [/usr/bin/npm]=npm
)
missing=()
for path in "${!package_for[@]}"; do
  [ -x "$path" ] || missing+=("${package_for[$path]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get > /dev/null; then
  echo "Installing from Debian: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
else
  echo "The tests need these Debian packages, which are missing: ${missing[*]}" >&2
  echo "Install them with:  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
