#!/bin/bash
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

# The Workspace setup command; a failed one ends the entrypoint here, before the agent.
# shellcheck source=SCRIPTDIR/../setup-command.sh
. /kelos/setup-command.sh || exit 1

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
