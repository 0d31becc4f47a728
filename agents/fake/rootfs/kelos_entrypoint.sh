#!/bin/bash
# shellcheck disable=SC2016 # node -e programs are single-quoted on purpose: ${…} in them is JavaScript.
# Entrypoint of the fake agent image (agents/fake/README.md): honours the Kelos agent image
# contract (docs/agent-image-interface.md) with /kelos/fake-agent.mjs in place of a real agent.
#
# No `set -e`: every failure below is handled, and the exit code must be the agent's.
set -uo pipefail

# >>> setup command (identical in every Kelos entrypoint)
# Workspace.spec.setupCommand arrives as a JSON array of strings; node decodes it and runs it
# without a shell, in the working directory, before the agent. A failure ends the container with
# the command's exit code (invalid JSON: 2, cannot start: 127) and the agent never starts.
if [ -n "${KELOS_SETUP_COMMAND:-}" ]; then
  printf '\n%s\n' '---KELOS_SETUP_COMMAND_START---' >&2
  node -e '
const { spawnSync } = require("node:child_process");
const { constants } = require("node:os");
let argv;
try {
  argv = JSON.parse(process.env.KELOS_SETUP_COMMAND);
} catch (err) {
  console.error(`KELOS_SETUP_COMMAND is not valid JSON: ${err.message}`);
  process.exit(2);
}
if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === "string")) {
  console.error("KELOS_SETUP_COMMAND must be a non-empty JSON array of strings");
  process.exit(2);
}
const run = spawnSync(argv[0], argv.slice(1), { stdio: "inherit" });
if (run.error) {
  console.error(`cannot run ${argv[0]}: ${run.error.message}`);
  process.exit(127);
}
process.exit(run.signal ? 128 + constants.signals[run.signal] : run.status);
'
  setup_exit_code=$?
  if [ "$setup_exit_code" -ne 0 ]; then
    printf '\n%s exit=%s\n' '---KELOS_SETUP_COMMAND_FAILED---' "$setup_exit_code" >&2
    exit "$setup_exit_code"
  fi
  printf '\n%s\n' '---KELOS_SETUP_COMMAND_DONE---' >&2
fi
# <<< setup command

prompt="${1:?Prompt argument is required}"

# The fake speaks Claude Code's stream-json whatever the Task's type, so capture reads it as such.
node /kelos/fake-agent.mjs "$prompt" | KELOS_AGENT_TYPE=claude-code /kelos/kelos-capture
exit_codes=("${PIPESTATUS[@]}")
if [ "${exit_codes[0]}" -ne 0 ]; then
  exit "${exit_codes[0]}"
fi
exit "${exit_codes[1]}"
