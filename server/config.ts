import path from 'node:path';

/** Everything the server can be told from outside. Read once, by the composition root. */
export interface Config {
	host: string;
	port: number;
	/** Folder for the SQLite database; `:memory:` keeps everything in memory (tests). */
	dataDir: string;
	/** Largest websocket frame accepted on `/yjs/…`; larger frames close with 1009. */
	maxMessageBytes: number;
	/** A peer that answers no ping within this interval is dropped. */
	heartbeatMs: number;
	/** How long a document stays loaded after its last connection left. */
	unloadDelayMs: number;
	/** Compact a document's update log into one snapshot once it holds this many updates. */
	compactAfterUpdates: number;
	/** A peer whose unsent data exceeds this is closed with 1013 instead of buffering without end. */
	maxBufferedBytes: number;
	/** Largest stored size of one meeting's document; updates past it close with 4413. */
	maxDocumentBytes: number;
	/** Per-connection limits: updates and awareness messages a second (sustained), and their burst. */
	rateMessagesPerSecond: number;
	rateBurst: number;
	/** Per-connection limits on requests for an answer (sync step 1, query awareness) a second, and their burst. */
	rateRequestsPerSecond: number;
	rateRequestBurst: number;
	/** Per-connection budget of answer bytes a second, and how many may be saved up (docs/close-codes.md, "Limits"). */
	rateAnswerBytesPerSecond: number;
	rateAnswerBurstBytes: number;
	/** Upgrades still being authorized at once; more are answered 503 (work before authentication). */
	maxPendingUpgrades: number;
	/** Per-socket limits of socket.io: events a second (sustained), and their burst. */
	socketEventsPerSecond: number;
	socketEventBurst: number;
	/** `normal` survives a killed process; `full` also survives a power cut, at an fsync per commit. */
	syncMode: 'normal' | 'full';
	/** WAL checkpoints run on a thread of their own this often; 0 leaves them to SQLite (on commit). */
	checkpointIntervalMs: number;
	/** How long a personal invitation link stays valid. */
	inviteTtlDays: number;
	/** Sign-in attempts and invitation uses per client address in 15 minutes. */
	signInLimitPerAddress: number;
	inviteLimitPerAddress: number;
	/**
	 * Days after a client's service path ends when the content of all its meetings is deleted
	 * (organisations keep their own copies). docs/retention.md.
	 */
	retentionDays: number;
	/**
	 * A path whose last meeting was not the closing meeting ends when no meeting of it is opened
	 * this many days after its last follow-up date. docs/retention.md says why 180.
	 */
	pathIdleDays: number;
	/**
	 * Days an audit trail entry is kept, counted from the entry itself, whatever became of the
	 * meeting's content (docs/audit.md). At least 1.
	 */
	auditRetentionDays: number;
	logLevel: string;
	/**
	 * The app's public origin (`ORIGIN`, also read by adapter-node), or null: then a request's own
	 * `Host` is its origin. Browser requests from any other origin are refused (server/origins.ts).
	 */
	origin: string | null;
	/** Further origins whose pages may use the app (`ALLOWED_ORIGINS`, comma-separated); usually none. */
	allowedOrigins: string[];
	/** How long a session lasts without use; one used in its second half is extended (server/auth.ts). */
	sessionLifetimeSeconds: number;
}

const defaults: Config = {
	host: '0.0.0.0',
	port: 3000,
	dataDir: './data',
	maxMessageBytes: 1024 * 1024,
	heartbeatMs: 30_000,
	unloadDelayMs: 10_000,
	compactAfterUpdates: 500,
	maxBufferedBytes: 8 * 1024 * 1024,
	syncMode: 'normal',
	checkpointIntervalMs: 1000,
	maxDocumentBytes: 32 * 1024 * 1024,
	rateMessagesPerSecond: 60,
	rateBurst: 240,
	rateRequestsPerSecond: 5,
	rateRequestBurst: 30,
	rateAnswerBytesPerSecond: 1024 * 1024,
	rateAnswerBurstBytes: 4 * 1024 * 1024,
	maxPendingUpgrades: 256,
	socketEventsPerSecond: 20,
	socketEventBurst: 60,
	inviteTtlDays: 14,
	retentionDays: 90,
	pathIdleDays: 180,
	// Twelve years: what Finnish social and health care keeps its access logs for (docs/audit.md).
	auditRetentionDays: 4383,
	signInLimitPerAddress: 20,
	inviteLimitPerAddress: 30,
	logLevel: 'info',
	origin: null,
	allowedOrigins: [],
	// A working day.
	sessionLifetimeSeconds: 12 * 60 * 60
};

/** An origin as browsers send it (`https://host[:port]`); anything else is a configuration error. */
function originOf(name: string, raw: string): string {
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		throw new Error(`${name} must be an origin such as https://verkosto.example.fi, got ${JSON.stringify(raw)}`);
	}
	if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin === 'null') {
		throw new Error(`${name} must be an http or https origin, got ${JSON.stringify(raw)}`);
	}
	return url.origin;
}

export function configFrom(env: NodeJS.ProcessEnv, overrides: Partial<Config> = {}): Config {
	const int = (name: string, fallback: number) => {
		const raw = env[name];
		if (raw === undefined || raw === '') return fallback;
		const value = Number(raw);
		if (!Number.isInteger(value) || value < 0) {
			throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
		}
		return value;
	};
	// 0 would empty the audit trail at every purge (the client could no longer be told who accessed
	// their data), or end every session at once.
	const atLeastOne = (name: string, value: number) => {
		if (value < 1) throw new Error(`${name} must be at least 1, got ${value}`);
		return value;
	};
	const syncMode = env.SQLITE_SYNC ?? defaults.syncMode;
	if (syncMode !== 'normal' && syncMode !== 'full') {
		throw new Error(`SQLITE_SYNC must be "normal" or "full", got ${JSON.stringify(syncMode)}`);
	}
	return {
		host: env.HOST || defaults.host,
		port: int('PORT', defaults.port),
		dataDir: env.DATA_DIR || defaults.dataDir,
		maxMessageBytes: int('MAX_MESSAGE_BYTES', defaults.maxMessageBytes),
		heartbeatMs: int('HEARTBEAT_MS', defaults.heartbeatMs),
		unloadDelayMs: int('UNLOAD_DELAY_MS', defaults.unloadDelayMs),
		compactAfterUpdates: int('COMPACT_AFTER_UPDATES', defaults.compactAfterUpdates),
		maxBufferedBytes: int('MAX_BUFFERED_BYTES', defaults.maxBufferedBytes),
		syncMode,
		checkpointIntervalMs: int('CHECKPOINT_INTERVAL_MS', defaults.checkpointIntervalMs),
		maxDocumentBytes: int('MAX_DOCUMENT_BYTES', defaults.maxDocumentBytes),
		rateMessagesPerSecond: int('RATE_MESSAGES_PER_SECOND', defaults.rateMessagesPerSecond),
		rateBurst: int('RATE_BURST', defaults.rateBurst),
		rateRequestsPerSecond: int('RATE_REQUESTS_PER_SECOND', defaults.rateRequestsPerSecond),
		rateRequestBurst: int('RATE_REQUEST_BURST', defaults.rateRequestBurst),
		rateAnswerBytesPerSecond: int('RATE_ANSWER_BYTES_PER_SECOND', defaults.rateAnswerBytesPerSecond),
		rateAnswerBurstBytes: int('RATE_ANSWER_BURST_BYTES', defaults.rateAnswerBurstBytes),
		maxPendingUpgrades: int('MAX_PENDING_UPGRADES', defaults.maxPendingUpgrades),
		socketEventsPerSecond: int('SOCKET_EVENTS_PER_SECOND', defaults.socketEventsPerSecond),
		socketEventBurst: int('SOCKET_EVENT_BURST', defaults.socketEventBurst),
		inviteTtlDays: int('INVITE_TTL_DAYS', defaults.inviteTtlDays),
		retentionDays: int('RETENTION_DAYS', defaults.retentionDays),
		pathIdleDays: int('PATH_IDLE_DAYS', defaults.pathIdleDays),
		auditRetentionDays: atLeastOne('AUDIT_RETENTION_DAYS', int('AUDIT_RETENTION_DAYS', defaults.auditRetentionDays)),
		signInLimitPerAddress: int('SIGN_IN_LIMIT_PER_ADDRESS', defaults.signInLimitPerAddress),
		inviteLimitPerAddress: int('INVITE_LIMIT_PER_ADDRESS', defaults.inviteLimitPerAddress),
		logLevel: env.LOG_LEVEL || defaults.logLevel,
		origin: env.ORIGIN ? originOf('ORIGIN', env.ORIGIN) : defaults.origin,
		allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
			.split(',')
			.map((entry) => entry.trim())
			.filter((entry) => entry !== '')
			.map((entry) => originOf('ALLOWED_ORIGINS', entry)),
		sessionLifetimeSeconds: atLeastOne('SESSION_LIFETIME_SECONDS', int('SESSION_LIFETIME_SECONDS', defaults.sessionLifetimeSeconds)),
		...overrides
	};
}

export function databasePath(config: Pick<Config, 'dataDir'>): string {
	return config.dataDir === ':memory:' ? ':memory:' : path.join(config.dataDir, 'verkosto.sqlite');
}
