/** Marker lines of the agent image contract (spec §6.1, §12.1). */
export const OUTPUTS_START_MARKER = '---KELOS_OUTPUTS_START---';
export const OUTPUTS_END_MARKER = '---KELOS_OUTPUTS_END---';
export const SETUP_COMMAND_START_MARKER = '---KELOS_SETUP_COMMAND_START---';
export const SETUP_COMMAND_DONE_MARKER = '---KELOS_SETUP_COMMAND_DONE---';
export const SETUP_COMMAND_FAILED_MARKER = '---KELOS_SETUP_COMMAND_FAILED---';

/** The controller reads only this many lines from the end of the agent log. */
export const OUTPUT_TAIL_LINES = 50;
