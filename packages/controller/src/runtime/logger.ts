import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** pino level; defaults to $KELOS_LOG_LEVEL, then `info`. */
  level?: string;
  /** Where JSON lines go (stdout by default); tests pass a stream to read them. */
  destination?: DestinationStream;
}

/**
 * Secret payloads must never reach a log line, even when a whole object is logged by mistake: these paths
 * cover an object logged directly or under any field (`{ secret }`, `{ obj }`).
 */
const SECRET_PATHS = ['data', 'stringData', '*.data', '*.stringData'];

/** The controller's JSON logger. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.KELOS_LOG_LEVEL ?? 'info';
  const opts = { level, redact: { paths: SECRET_PATHS, censor: '[REDACTED]' } };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}
