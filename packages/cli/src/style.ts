import { Chalk, type ChalkInstance, supportsColor, supportsColorStderr } from 'chalk';

/** Colours for one output stream; a chalk instance, so it also serves the log renderer's `Style`. */
export type Style = ChalkInstance;

/**
 * Colour only where it helps and is wanted: never with `--no-color` or a non-empty `NO_COLOR`
 * (no-color.org), otherwise as chalk detects for that stream (a terminal, or FORCE_COLOR).
 */
export function createStyle(stream: 'stdout' | 'stderr', colorFlag: boolean): Style {
  const disabled = !colorFlag || Boolean(process.env.NO_COLOR);
  const support = stream === 'stdout' ? supportsColor : supportsColorStderr;
  return new Chalk({ level: disabled || !support ? 0 : support.level });
}
