#!/bin/bash
# shellcheck disable=SC2016 # node -e programs are single-quoted on purpose: ${…} in them is JavaScript.
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

# >>> skill installation (identical in the codex, opencode and cursor entrypoints)
# install_skills <dir>: copies each plugin skill to <dir>/<plugin>:<skill>/. Two plugin/skill
# pairs that map to the same directory (plugin "a:b" with skill "c", plugin "a" with skill "b:c")
# would silently overwrite each other, so that is an error.
install_skills() {
  local target_root="$1" plugin_dir skill_dir target
  local -A installed=()
  for plugin_dir in "$KELOS_PLUGIN_DIR"/*/; do
    [ -d "${plugin_dir}skills" ] || continue
    for skill_dir in "${plugin_dir}skills"/*/; do
      [ -d "$skill_dir" ] || continue
      target="$target_root/$(basename "$plugin_dir"):$(basename "$skill_dir")"
      if [ -n "${installed[$target]:-}" ]; then
        echo "kelos: two skills map to $target" >&2
        return 1
      fi
      installed[$target]=1
      mkdir -p "$target" || return 1
      cp -R "$skill_dir". "$target/" || return 1
    done
  done
}
# <<< skill installation

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

args=()
if [ -n "${KELOS_MODEL:-}" ]; then
  args+=(--model "$KELOS_MODEL")
fi
args+=(-p --force --trust --sandbox disabled --output-format stream-json "$prompt")

# Not exec: the agent's exit code is read from PIPESTATUS.
agent "${args[@]}" | /kelos/kelos-capture
exit "${PIPESTATUS[0]}"
