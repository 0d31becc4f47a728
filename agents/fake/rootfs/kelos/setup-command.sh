# shellcheck shell=bash disable=SC2016 # the node -e program is single-quoted on purpose: ${…} in it is JavaScript.
# The setup command of every Kelos entrypoint, installed as /kelos/setup-command.sh. Entrypoints
# source it rather than run it, right before their agent, so that its `exit` ends the entrypoint.
#
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
