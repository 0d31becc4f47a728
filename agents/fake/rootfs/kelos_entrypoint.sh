#!/bin/bash
# Entrypoint of the fake agent image (agents/fake/README.md): honours the Kelos agent image
# contract (docs/agent-image-interface.md) with /kelos/fake-agent.mjs in place of a real agent.
#
# No `set -e`: every failure below is handled, and the exit code must be the agent's.
set -uo pipefail

# The Workspace setup command; a failed one ends the entrypoint here, before the agent.
# shellcheck source=SCRIPTDIR/kelos/setup-command.sh
. /kelos/setup-command.sh || exit 1

prompt="${1:?Prompt argument is required}"

# The fake speaks Claude Code's stream-json whatever the Task's type, so capture reads it as such.
node /kelos/fake-agent.mjs "$prompt" | KELOS_AGENT_TYPE=claude-code /kelos/kelos-capture
exit_codes=("${PIPESTATUS[@]}")
if [ "${exit_codes[0]}" -ne 0 ]; then
  exit "${exit_codes[0]}"
fi
exit "${exit_codes[1]}"
