#!/bin/bash
# shellcheck disable=SC2016 # node -e programs are single-quoted on purpose: ${…} in them is JavaScript.
# Kelos agent image entrypoint for OpenAI Codex (contract: docs/agent-image-interface.md).
# $1 is the Task prompt; KELOS_* env configures the run; stdout is `codex exec --json` output
# followed by the output marker block from /kelos/kelos-capture.
#
# No `set -e`: every failure below is handled, and the exit code must be the agent's.
set -uo pipefail

codex_home="${CODEX_HOME:-$HOME/.codex}"
mkdir -p "$codex_home"

# ChatGPT sign-in: the full auth.json. Newlines are stripped because the Secret value may carry
# them and Codex's JSON reader rejects raw control characters; the file store makes Codex use it.
if [ -n "${CODEX_AUTH_JSON:-}" ]; then
  printf '%s' "$CODEX_AUTH_JSON" | tr -d '\n\r' >"$codex_home/auth.json"
  # A top-level TOML key must precede every table, so it goes first in config.toml.
  if ! grep -qs '^cli_auth_credentials_store' "$codex_home/config.toml"; then
    {
      printf 'cli_auth_credentials_store = "file"\n'
      if [ -f "$codex_home/config.toml" ]; then cat "$codex_home/config.toml"; fi
    } >"$codex_home/config.toml.new" || exit 1
    mv "$codex_home/config.toml.new" "$codex_home/config.toml" || exit 1
  fi
fi

# User-level instructions: additive to the repository's own AGENTS.md, which stays untouched.
if [ -n "${KELOS_AGENTS_MD:-}" ]; then
  printf '%s' "$KELOS_AGENTS_MD" >"$codex_home/AGENTS.md"
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

if [ -n "${KELOS_PLUGIN_DIR:-}" ]; then
  install_skills "$codex_home/skills" || exit 1
fi

# MCP servers become [mcp_servers."<name>"] tables. JSON strings are valid TOML basic strings, so
# JSON.stringify quotes every key and value. Node reads the servers from the environment, keeping
# secret headers and env values out of argument lists.
if [ -n "${KELOS_MCP_SERVERS:-}" ]; then
  node -e '
const q = JSON.stringify;
const table = (obj) => `{ ${Object.entries(obj).map(([k, v]) => `${q(k)} = ${q(v)}`).join(", ")} }`;
const { mcpServers = {} } = JSON.parse(process.env.KELOS_MCP_SERVERS);
let toml = "";
for (const [name, s] of Object.entries(mcpServers)) {
  toml += `\n[mcp_servers.${q(name)}]\n`;
  if (s.command) toml += `command = ${q(s.command)}\n`;
  if (s.args && s.args.length) toml += `args = [${s.args.map(q).join(", ")}]\n`;
  if (s.url) toml += `url = ${q(s.url)}\n`;
  if (s.headers && Object.keys(s.headers).length) toml += `http_headers = ${table(s.headers)}\n`;
  if (s.env && Object.keys(s.env).length) toml += `env = ${table(s.env)}\n`;
}
process.stdout.write(toml);
' >>"$codex_home/config.toml" || exit 1
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

# Sessions prepare the configuration above and then run Codex themselves.
if [ "${KELOS_SESSION_SETUP_ONLY:-}" = "1" ]; then
  exit 0
fi

prompt="${1:?Prompt argument is required}"
args=(exec --dangerously-bypass-approvals-and-sandbox --json "$prompt")
if [ -n "${KELOS_MODEL:-}" ]; then
  args+=(--model "$KELOS_MODEL")
fi
if [ -n "${KELOS_EFFORT:-}" ]; then
  # The override's value is TOML: a quoted string, with quotes and backslashes escaped.
  effort="${KELOS_EFFORT//\\/\\\\}"
  args+=(--config "model_reasoning_effort=\"${effort//\"/\\\"}\"")
fi

# Not exec: the agent's exit code is read from PIPESTATUS.
codex "${args[@]}" | /kelos/kelos-capture
exit "${PIPESTATUS[0]}"
