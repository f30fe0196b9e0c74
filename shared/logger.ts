import { pino, type Logger } from 'pino';

export type { Logger };

/** Keys whose values never reach a log line. */
const REDACT = [
  'password', '*.password', 'token', '*.token', 'authorization', '*.authorization',
  'headers.authorization', 'req.headers.authorization', 'privateKey', '*.privateKey', 'key', '*.key',
];

/** Creates the process logger: JSON lines on stderr, secrets redacted; `HOMING_LOG_LEVEL` overrides the level. */
export function createLogger(name: string, level = process.env.HOMING_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, redact: { paths: REDACT, censor: '[redacted]' } }, pino.destination(2));
}

/** A logger that discards everything (tests, simulations with thousands of virtual agents). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
