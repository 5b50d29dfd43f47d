#!/usr/bin/env bash
# Installs what the browser and accessibility tests need on a fresh Debian machine:
# Debian's chromium (no browser download by Playwright) and the npm test tools (axe-core, and
# yaml-language-server for tests/test_editor.py, which needs no network once installed).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null
  fi
fi
if [ -f package.json ]; then
  npm ci --no-audit --no-fund --silent
fi
