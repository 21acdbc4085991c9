import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout. Never log document content or personal data: ids only. */
export function createLogger(level: string): Logger {
	return pino({ level, base: { service: 'verkosto' } });
}
