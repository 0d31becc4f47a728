#!/bin/bash
# Kelos agent image entrypoint for Gemini CLI (contract: docs/agent-image-interface.md).
# $1 is the Task prompt; KELOS_* env configures the run; stdout is Gemini's stream-json followed
# by the output marker block from /kelos/kelos-capture.
#
# No `set -e`: every failure below is handled, and the exit code must be the agent's.
set -uo pipefail

prompt="${1:?Prompt argument is required}"
gemini_dir="$HOME/.gemini"
settings="$gemini_dir/settings.json"
mkdir -p "$gemini_dir"

model_arg="${KELOS_MODEL:-}"
native_effort=""

# Effort with a model: a custom model alias "kelos-effort-<model>" in settings.json whose
# generateContentConfig sets the thinking level (Gemini 3) or budget (Gemini 2.5); the alias is
# then passed as the model. Node exits 2 when the effort does not map onto the model.
if [ -n "${KELOS_EFFORT:-}" ] && [ -n "${KELOS_MODEL:-}" ]; then
  alias_name="kelos-effort-${KELOS_MODEL//[^A-Za-z0-9_-]/-}"
  KELOS_EFFORT_ALIAS="$alias_name" node -e '
const fs = require("node:fs");
const file = process.argv[1];
const model = process.env.KELOS_MODEL;
const effort = process.env.KELOS_EFFORT.toLowerCase();
const budgets = { minimal: 512, low: 1024, medium: 4096, high: 8192, xhigh: 16384, max: 24576 };
const levels = { minimal: "LOW", low: "LOW", medium: "HIGH", high: "HIGH", xhigh: "HIGH", max: "HIGH" };
let thinkingConfig;
if (model.includes("gemini-3")) {
  if (levels[effort]) thinkingConfig = { thinkingLevel: levels[effort] };
} else if (model.includes("gemini-2.5")) {
  const budget = /^\d+$/.test(effort) ? Number(effort) : budgets[effort];
  if (budget !== undefined) thinkingConfig = { thinkingBudget: budget };
}
if (!thinkingConfig) process.exit(2);
let settings = {};
try { settings = JSON.parse(fs.readFileSync(file, "utf8")); } catch {}
settings.modelConfigs ??= {};
settings.modelConfigs.customAliases ??= {};
settings.modelConfigs.customAliases[process.env.KELOS_EFFORT_ALIAS] = {
  modelConfig: { model, generateContentConfig: { thinkingConfig } },
};
fs.writeFileSync(file, JSON.stringify(settings, null, 2));
' "$settings"
  case "$?" in
    0)
      model_arg="$alias_name"
      native_effort=1
      ;;
    2) echo "kelos: effort '$KELOS_EFFORT' does not map onto model '$KELOS_MODEL'; asking for it in GEMINI.md" >&2 ;;
    *) echo "kelos: could not write the effort alias; asking for the effort in GEMINI.md" >&2 ;;
  esac
fi

# User-level instructions, plus the effort as guidance when no alias could carry it.
if [ -n "${KELOS_AGENTS_MD:-}" ] || { [ -n "${KELOS_EFFORT:-}" ] && [ -z "$native_effort" ]; }; then
  {
    if [ -n "${KELOS_AGENTS_MD:-}" ]; then
      printf '%s\n' "$KELOS_AGENTS_MD"
    fi
    if [ -n "${KELOS_EFFORT:-}" ] && [ -z "$native_effort" ]; then
      printf '\n# Kelos Effort\nUse %s reasoning effort for this task.\n' "$KELOS_EFFORT"
    fi
  } >"$gemini_dir/GEMINI.md"
fi

# Each plugin becomes an extension: a manifest naming it, plus its skills and agents.
if [ -n "${KELOS_PLUGIN_DIR:-}" ]; then
  for plugin_dir in "$KELOS_PLUGIN_DIR"/*/; do
    [ -d "$plugin_dir" ] || continue
    plugin="$(basename "$plugin_dir")"
    extension_dir="$gemini_dir/extensions/$plugin"
    mkdir -p "$extension_dir" || exit 1
    node -e 'process.stdout.write(JSON.stringify({ name: process.argv[1] }))' "$plugin" \
      >"$extension_dir/gemini-extension.json" || exit 1
    for part in skills agents; do
      if [ -d "$plugin_dir$part" ]; then
        cp -R "$plugin_dir$part" "$extension_dir/" || exit 1
      fi
    done
  done
fi

# MCP servers are merged into settings.json (which may hold the effort alias already). Node
# reads them from the environment, keeping secret headers out of argument lists.
if [ -n "${KELOS_MCP_SERVERS:-}" ]; then
  node -e '
const fs = require("node:fs");
const file = process.argv[1];
let settings = {};
try { settings = JSON.parse(fs.readFileSync(file, "utf8")); } catch {}
const { mcpServers = {} } = JSON.parse(process.env.KELOS_MCP_SERVERS);
settings.mcpServers = { ...settings.mcpServers, ...mcpServers };
fs.writeFileSync(file, JSON.stringify(settings, null, 2));
' "$settings" || exit 1
fi

# The Workspace setup command; a failed one ends the entrypoint here, before the agent.
# shellcheck source=SCRIPTDIR/../setup-command.sh
. /kelos/setup-command.sh || exit 1

args=(--yolo --output-format stream-json -p "$prompt")
if [ -n "$model_arg" ]; then
  args+=(--model "$model_arg")
fi

# Not exec: the agent's exit code is read from PIPESTATUS.
gemini "${args[@]}" | /kelos/kelos-capture
exit "${PIPESTATUS[0]}"
