#!/bin/bash
# shellcheck disable=SC2016 # node -e programs are single-quoted on purpose: ${…} in them is JavaScript.
# Kelos agent image entrypoint for OpenCode (contract: docs/agent-image-interface.md).
# $1 is the Task prompt; KELOS_* env configures the run; stdout is `opencode run --format json`
# output followed by the output marker block from /kelos/kelos-capture.
#
# No `set -e`: every failure below is handled, and the exit code must be the agent's.
set -uo pipefail

config_dir="${OPENCODE_CONFIG_DIR:-$HOME/.config/opencode}"
mkdir -p "$config_dir"

# OPENCODE_API_KEY is handed to the provider that KELOS_MODEL ("provider/model") names.
if [ -n "${OPENCODE_API_KEY:-}" ]; then
  provider=""
  if [ -n "${KELOS_MODEL:-}" ]; then
    provider="${KELOS_MODEL%%/*}"
  fi
  case "$provider" in
    anthropic | "") export ANTHROPIC_API_KEY="$OPENCODE_API_KEY" ;;
    openai) export OPENAI_API_KEY="$OPENCODE_API_KEY" ;;
    google) export GEMINI_API_KEY="$OPENCODE_API_KEY" ;;
    groq) export GROQ_API_KEY="$OPENCODE_API_KEY" ;;
    xai) export XAI_API_KEY="$OPENCODE_API_KEY" ;;
    zai | zai-coding-plan) export ZHIPU_API_KEY="$OPENCODE_API_KEY" ;;
    opencode | zen) ;; # OpenCode Zen reads OPENCODE_API_KEY itself.
    *)
      echo "kelos: unknown provider '$provider' in KELOS_MODEL; passing OPENCODE_API_KEY as ANTHROPIC_API_KEY" >&2
      export ANTHROPIC_API_KEY="$OPENCODE_API_KEY"
      ;;
  esac
fi

# Effort is an agent setting, so it goes into opencode.json for the default "build" agent, and
# the model with it (the --model flag would override the agent's configuration).
if [ -n "${KELOS_EFFORT:-}" ]; then
  node -e '
const fs = require("node:fs");
const file = process.argv[1];
let config = {};
try { config = JSON.parse(fs.readFileSync(file, "utf8")); } catch {}
const effort = process.env.KELOS_EFFORT;
const model = process.env.KELOS_MODEL;
config.$schema ??= "https://opencode.ai/config.json";
if (model) config.model = model;
config.agent ??= {};
const build = (config.agent.build ??= {});
if (model) build.model = model;
build.variant = effort;
build.options = { ...build.options, reasoningEffort: effort };
fs.writeFileSync(file, JSON.stringify(config, null, 2));
' "$config_dir/opencode.json" || exit 1
fi

# User-level instructions: additive to the repository's own AGENTS.md, which stays untouched.
if [ -n "${KELOS_AGENTS_MD:-}" ]; then
  printf '%s' "$KELOS_AGENTS_MD" >"$config_dir/AGENTS.md"
fi

# install_skills <dir> copies each plugin skill to <dir>/<plugin>:<skill>/.
# shellcheck source=SCRIPTDIR/../install-skills.sh
. /kelos/install-skills.sh || exit 1

if [ -n "${KELOS_PLUGIN_DIR:-}" ]; then
  install_skills "$config_dir/skills" || exit 1
  for agent_file in "$KELOS_PLUGIN_DIR"/*/agents/*.md; do
    [ -f "$agent_file" ] || continue
    mkdir -p "$config_dir/agents" || exit 1
    cp "$agent_file" "$config_dir/agents/" || exit 1
  done
fi

if [ -n "${KELOS_MCP_SERVERS:-}" ]; then
  echo "kelos: the opencode image does not configure MCP servers; KELOS_MCP_SERVERS is ignored" >&2
fi

# The Workspace setup command; a failed one ends the entrypoint here, before the agent.
# shellcheck source=SCRIPTDIR/../setup-command.sh
. /kelos/setup-command.sh || exit 1

# Sessions prepare the configuration above and then run OpenCode themselves.
if [ "${KELOS_SESSION_SETUP_ONLY:-}" = "1" ]; then
  exit 0
fi

prompt="${1:?Prompt argument is required}"
args=(run --format json --auto "$prompt")
if [ -n "${KELOS_MODEL:-}" ] && [ -z "${KELOS_EFFORT:-}" ]; then
  args+=(--model "$KELOS_MODEL")
fi

# Not exec: the agent's exit code is read from PIPESTATUS.
opencode "${args[@]}" | /kelos/kelos-capture
exit "${PIPESTATUS[0]}"
