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

# install_skills <dir> copies each plugin skill to <dir>/<plugin>:<skill>/.
# shellcheck source=SCRIPTDIR/../install-skills.sh
. /kelos/install-skills.sh || exit 1

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

# The Workspace setup command; a failed one ends the entrypoint here, before the agent.
# shellcheck source=SCRIPTDIR/../setup-command.sh
. /kelos/setup-command.sh || exit 1

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
