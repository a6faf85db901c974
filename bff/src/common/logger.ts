import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs; every request logs through a child carrying its request id. */
export function createLogger(level: string, name = 'bff'): Logger {
  return pino({ name, level, base: { service: name }, timestamp: pino.stdTimeFunctions.isoTime });
}
