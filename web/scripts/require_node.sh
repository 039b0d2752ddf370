#!/bin/sh
# `make web` / `make run`: stops with a clear message unless Node.js 20.19 or newer (Vite 8's
# minimum) and npm are on PATH.
set -eu
need="Node.js 20+ is required for the web frontend"
if ! command -v node >/dev/null 2>&1; then
  echo "$need: 'node' was not found on PATH. Install Node.js 20.19 or newer (with npm), then run make again." >&2
  exit 1
fi
version=$(node --version)
numbers=${version#v}
major=${numbers%%.*}
rest=${numbers#*.}
minor=${rest%%.*}
case "$major$minor" in
  *[!0-9]*|"") echo "$need: 'node --version' said '$version'." >&2; exit 1 ;;
esac
if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 19 ]; }; then
  echo "$need: found Node.js $version; install Node.js 20.19 or newer, then run make again." >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "$need, with npm: 'npm' was not found on PATH." >&2
  exit 1
fi
