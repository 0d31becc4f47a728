#!/bin/bash
# Kelos agent image entrypoint for Cursor CLI (contract: docs/agent-image-interface.md).
# $1 is the Task prompt; KELOS_* env configures the run; stdout is Cursor's stream-json followed
# by the output marker block from /kelos/kelos-capture.
#
# No `set -e`: every failure below is handled, and the exit code must be the agent's.
set -uo pipefail

prompt="${1:?Prompt argument is required}"
cursor_dir="$HOME/.cursor"
mkdir -p "$cursor_dir"

# User-level instructions; Cursor has no effort setting, so the effort is asked for there too.
if [ -n "${KELOS_AGENTS_MD:-}" ] || [ -n "${KELOS_EFFORT:-}" ]; then
  {
    if [ -n "${KELOS_AGENTS_MD:-}" ]; then
      printf '%s\n' "$KELOS_AGENTS_MD"
    fi
    if [ -n "${KELOS_EFFORT:-}" ]; then
      printf '\n# Kelos Effort\nUse %s reasoning effort for this task.\n' "$KELOS_EFFORT"
    fi
  } >"$cursor_dir/AGENTS.md"
fi

# install_skills <dir> copies each plugin skill to <dir>/<plugin>:<skill>/.
# shellcheck source=SCRIPTDIR/../install-skills.sh
. /kelos/install-skills.sh || exit 1

# Cursor discovers skills and rules in the working directory's .cursor/, so plugins land there;
# each plugin agent becomes a rule named <plugin>-<agent>.mdc.
if [ -n "${KELOS_PLUGIN_DIR:-}" ]; then
  install_skills ".cursor/skills" || exit 1
  for agent_file in "$KELOS_PLUGIN_DIR"/*/agents/*.md; do
    [ -f "$agent_file" ] || continue
    plugin="$(basename "$(dirname "$(dirname "$agent_file")")")"
    mkdir -p .cursor/rules || exit 1
    cp "$agent_file" ".cursor/rules/$plugin-$(basename "$agent_file" .md).mdc" || exit 1
  done
fi

# MCP servers are merged into the user-scoped ~/.cursor/mcp.json. Node reads them from the
# environment, keeping secret headers out of argument lists.
if [ -n "${KELOS_MCP_SERVERS:-}" ]; then
  node -e '
const fs = require("node:fs");
const file = process.argv[1];
let config = {};
try { config = JSON.parse(fs.readFileSync(file, "utf8")); } catch {}
const { mcpServers = {} } = JSON.parse(process.env.KELOS_MCP_SERVERS);
config.mcpServers = { ...config.mcpServers, ...mcpServers };
fs.writeFileSync(file, JSON.stringify(config, null, 2));
' "$cursor_dir/mcp.json" || exit 1
fi

# The Workspace setup command; a failed one ends the entrypoint here, before the agent.
# shellcheck source=SCRIPTDIR/../setup-command.sh
. /kelos/setup-command.sh || exit 1

args=()
if [ -n "${KELOS_MODEL:-}" ]; then
  args+=(--model "$KELOS_MODEL")
fi
args+=(-p --force --trust --sandbox disabled --output-format stream-json "$prompt")

# Not exec: the agent's exit code is read from PIPESTATUS.
agent "${args[@]}" | /kelos/kelos-capture
exit "${PIPESTATUS[0]}"
