#!/bin/bash
# shellcheck disable=SC2016 # node -e programs are single-quoted on purpose: ${…} in them is JavaScript.
# Kelos agent image entrypoint for Claude Code (contract: docs/agent-image-interface.md).
# $1 is the Task prompt; KELOS_* env configures the run; stdout is Claude's stream-json followed
# by the output marker block from /kelos/kelos-capture.
#
# No `set -e`: every failure below is handled, and the exit code must be the agent's.
set -uo pipefail

claude_config_dir="${CLAUDE_CONFIG_DIR:-$HOME/.claude}"

# User-level instructions: additive to the repository's own CLAUDE.md, which stays untouched.
if [ -n "${KELOS_AGENTS_MD:-}" ]; then
  mkdir -p "$claude_config_dir"
  printf '%s' "$KELOS_AGENTS_MD" >"$claude_config_dir/CLAUDE.md"
fi

# MCP servers go into the user-scoped config (next to CLAUDE_CONFIG_DIR, else ~/.claude.json),
# merged with what is there, so the repository's .mcp.json is left alone. Node reads the servers
# from the environment, keeping secret headers out of argument lists.
if [ -n "${KELOS_MCP_SERVERS:-}" ]; then
  node -e '
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const file = process.env.CLAUDE_CONFIG_DIR
  ? path.join(process.env.CLAUDE_CONFIG_DIR, ".claude.json")
  : path.join(os.homedir(), ".claude.json");
let config = {};
try { config = JSON.parse(fs.readFileSync(file, "utf8")); } catch {}
const { mcpServers = {} } = JSON.parse(process.env.KELOS_MCP_SERVERS);
config.mcpServers = { ...config.mcpServers, ...mcpServers };
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, JSON.stringify(config, null, 2));
' || exit 1
fi

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

# Sessions prepare the configuration above and then run Claude themselves.
if [ "${KELOS_SESSION_SETUP_ONLY:-}" = "1" ]; then
  exit 0
fi

prompt="${1:?Prompt argument is required}"
args=(--dangerously-skip-permissions --output-format stream-json --verbose -p "$prompt")
if [ -n "${KELOS_MODEL:-}" ]; then
  args+=(--model "$KELOS_MODEL")
fi
if [ -n "${KELOS_EFFORT:-}" ]; then
  args+=(--effort "$KELOS_EFFORT")
fi
if [ -n "${KELOS_PLUGIN_DIR:-}" ]; then
  for plugin_dir in "$KELOS_PLUGIN_DIR"/*/; do
    [ -d "$plugin_dir" ] && args+=(--plugin-dir "${plugin_dir%/}")
  done
fi

# Not exec: the exit codes of both sides of the pipe are needed.
claude "${args[@]}" | /kelos/kelos-capture
exit_codes=("${PIPESTATUS[@]}")
# The agent's failure wins; after a clean exit, kelos-capture's verdict on Claude's final result
# (1 when the run did not complete normally) decides.
if [ "${exit_codes[0]}" -ne 0 ]; then
  exit "${exit_codes[0]}"
fi
exit "${exit_codes[1]}"
