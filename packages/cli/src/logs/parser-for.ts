import { parseClaudeLine } from './claude.js';
import { parseCodexLine } from './codex.js';
import type { LineParser } from './events.js';
import { parseGeminiLine } from './gemini.js';
import { parseOpenCodeLine } from './opencode.js';

/**
 * The parser for a Task's agent type (spec §9): codex, gemini and opencode have their own
 * formats; claude-code, cursor, custom images and an unset type use Claude's stream-json.
 */
export function parserFor(agentType: string | undefined): LineParser {
  switch (agentType) {
    case 'codex':
      return parseCodexLine;
    case 'gemini':
      return parseGeminiLine;
    case 'opencode':
      return parseOpenCodeLine;
    default:
      return parseClaudeLine;
  }
}
