import { isAgentType } from '@kelos/shared/constants';
import { ClaudeCodeExtractor } from './claude-code.js';
import { CodexExtractor } from './codex.js';
import { CursorExtractor } from './cursor.js';
import { GeminiExtractor } from './gemini.js';
import { OpencodeExtractor } from './opencode.js';
import type { UsageExtractor } from './usage.js';

/** The extractor for `KELOS_AGENT_TYPE`, or undefined for an empty or unknown type (no usage then). */
export function extractorFor(agentType: string | undefined): UsageExtractor | undefined {
  if (agentType === undefined || !isAgentType(agentType)) return undefined;
  switch (agentType) {
    case 'claude-code':
      return new ClaudeCodeExtractor();
    case 'codex':
      return new CodexExtractor();
    case 'gemini':
      return new GeminiExtractor();
    case 'opencode':
      return new OpencodeExtractor();
    case 'cursor':
      return new CursorExtractor();
  }
}
