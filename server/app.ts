import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode } from '../src/lib/protocol/close-codes.js';
import { meetingIdPattern } from '../src/lib/protocol/yjs-messages.js';
import { databasePath, type Config } from './config.js';
import { Checkpointer } from './db/checkpointer.js';
import { openDatabase, truncateLog, type Db } from './db/database.js';
import { createLogger, type Logger } from './log.js';
import { Accounts } from './accounts.js';
import { AuditLog } from './audit.js';
import { AuditTrail } from './audit-trail.js';
import { createAppEvents, type AppEvents } from './events.js';
import { createAuth, principalFor, sessionExpiry, sessionIdFromCookieHeader, type Auth } from './auth.js';
import { LiveConnections } from './connections.js';
import { foreignOriginError, isStateChanging, OriginPolicy } from './origins.js';
import { ConsentRepository, Consents } from './consents.js';
import { InviteRepository } from './invites.js';
import { MeetingRepository } from './meetings.js';
import { ParticipantRepository } from './participants.js';
import { Participation } from './participation.js';
import { Policy, type Principal } from './policy.js';
import { Room } from './room.js';
import { Closing, recorderOtherThanClient } from './closing.js';
import { Retention } from './retention.js';
import { Catalogue } from './catalogue.js';
import { FollowUp } from './follow-up.js';
import { readPlan, type PlanJson } from './plan.js';
import { exportInput, exportMeeting, organisationExcerpts, plainSummary, type ExportFile, type ExportFormat } from './exports/index.js';
import type { RoomState } from '../src/lib/protocol/agenda.js';
import { UserRepository } from './users.js';
import { Metrics } from './metrics.js';
import { createRealtime, type RealtimeServer } from './realtime/socket.js';
import { DocumentRegistry } from './yjs/documents.js';
import { clientVoice } from '../src/lib/meeting/document.js';
import { Scribes } from './scribes.js';
import { YjsEndpoint, type AuthorizeVerdict } from './yjs/endpoint.js';
import type { PeerIdentity } from './yjs/connection.js';
import { defaultLimits } from './yjs/limits.js';
import { SqliteDocumentStore } from './yjs/storage.js';

type Next = () => void;

/**
 * The composition root: one database, one document registry, one socket.io server per process.
 * Production (server/main.ts) and `vite dev` (server/dev-plugin.ts) both build one App and attach it
 * to their HTTP server; SvelteKit's pages get the same instance on each request's platform
 * (`src/lib/server/app.ts`). Built in order, starting nothing: `start()` (from `attach()`) starts its
 * background work, `close()` stops it (docs/architecture.md).
 */
export class App {
	readonly config: Config;
	readonly log: Logger;
	readonly db: Db;
	readonly meetings: MeetingRepository;
	readonly participants: ParticipantRepository;
	readonly users: UserRepository;
	readonly auth: Auth;
	readonly audit: AuditLog;
	/** Reads, live connections and the client's CSV in the audit trail (docs/audit.md). */
	readonly trail: AuditTrail;
	/**
	 * Who opened each Yjs connection: the identity object that authorization returns is the one the
	 * connection carries, so its `joined` and `left` entries name the session without the Yjs layer
	 * knowing about sessions.
	 */
	readonly #yjsPrincipals = new WeakMap<PeerIdentity, { principal: Principal; meetingId: string }>();
	readonly policy: Policy;
	readonly connections: LiveConnections;
	/** Which browser origins may use the app (issue 20, item 3). */
	readonly origins: OriginPolicy;
	readonly accounts: Accounts;
	readonly participation: Participation;
	readonly room: Room;
	readonly followUp: FollowUp;
	readonly catalogue: Catalogue;
	readonly closing: Closing;
	readonly retention: Retention;
	readonly invites: InviteRepository;
	readonly consents: ConsentRepository;
	/** Giving and changing the client's consent in a meeting (issue #19). */
	readonly clientConsent: Consents;
	readonly store: SqliteDocumentStore;
	/** Made first: the domain emits on it, socket.io listens (server/events.ts). */
	readonly events: AppEvents = createAppEvents();
	readonly documents: DocumentRegistry;
	/** Scribes and who wrote for whom (issue #21 item 2). */
	readonly scribes: Scribes;
	readonly metrics: Metrics;
	readonly io: RealtimeServer;
	readonly #yjs: YjsEndpoint;
	readonly #engine;
	#closing: Promise<void> | undefined;
	/** Off the event loop: WAL checkpoints (none for an in-memory database). Started by `start()`. */
	#checkpointer: Checkpointer | undefined;
	/** The daily retention purge and the revocation sweep: set by `start()`, cleared by `close()`. */
	#timers: NodeJS.Timeout[] = [];
	#lastSweep = new Date().toISOString();

	constructor(config: Config, log: Logger = createLogger(config.logLevel)) {
		this.config = config;
		this.log = log;
		const roomChanged = (meetingId: string) => this.events.emit('room-changed', meetingId);
		this.db = openDatabase(databasePath(config), { syncMode: config.syncMode });
		this.meetings = new MeetingRepository(this.db);
		this.participants = new ParticipantRepository(this.db);
		this.invites = new InviteRepository(this.db);
		this.consents = new ConsentRepository(this.db);
		this.store = new SqliteDocumentStore(this.db);
		this.users = new UserRepository(this.db);
		this.auth = createAuth(this.db, config.sessionLifetimeSeconds);
		this.connections = new LiveConnections((sessionId) => sessionExpiry(this.db, sessionId));
		this.origins = new OriginPolicy(config);
		this.audit = new AuditLog(this.db);
		this.policy = new Policy(this.meetings, this.participants);
		this.accounts = new Accounts({
			users: this.users,
			auth: this.auth,
			audit: this.audit,
			connections: this.connections,
			signInLimitPerAddress: config.signInLimitPerAddress
		});
		this.participation = new Participation(
			{
				meetings: this.meetings,
				participants: this.participants,
				invites: this.invites,
				consents: this.consents,
				users: this.users,
				policy: this.policy,
				audit: this.audit,
				auth: this.auth,
				connections: this.connections
			},
			{ inviteTtlMs: config.inviteTtlDays * 24 * 60 * 60 * 1000, inviteLimitPerAddress: config.inviteLimitPerAddress }
		);
		// Its gauges read the registry when scraped; the registry reports its timings to it as they happen.
		this.metrics = new Metrics(() => this.documents);
		const metrics = this.metrics;
		this.documents = new DocumentRegistry({
			store: this.store,
			log,
			unloadDelayMs: config.unloadDelayMs,
			compactAfterUpdates: config.compactAfterUpdates,
			// From the meetings table, not Closing (which is made after the registry it closes documents in).
			isClosed: (meetingId) => this.meetings.stateOf(meetingId) === 'closed',
			maxDocumentBytes: config.maxDocumentBytes,
			writtenFor: {
				check: (...args) => this.scribes.check(...args),
				written: (...args) => this.scribes.written(...args),
				goalsCreated: (...args) => this.scribes.goalsCreated(...args)
			},
			hooks: {
				onStorageWrite: (seconds) => metrics.storageWriteSeconds.observe(seconds),
				onUpdateReceived: () => metrics.updatesReceived.inc(),
				onUpdateRelayed: (seconds) => metrics.updateRelaySeconds.observe(seconds)
			}
		});
		this.#yjs = new YjsEndpoint({
			registry: this.documents,
			log: log.child({ channel: 'yjs' }),
			maxMessageBytes: config.maxMessageBytes,
			maxBufferedBytes: config.maxBufferedBytes,
			heartbeatMs: config.heartbeatMs,
			maxPendingUpgrades: config.maxPendingUpgrades,
			limits: {
				...defaultLimits,
				updatesPerSecond: config.rateMessagesPerSecond,
				updateBurst: config.rateBurst,
				awarenessPerSecond: config.rateMessagesPerSecond,
				awarenessBurst: config.rateBurst,
				requestsPerSecond: config.rateRequestsPerSecond,
				requestBurst: config.rateRequestBurst,
				answerBytesPerSecond: config.rateAnswerBytesPerSecond,
				answerBurstBytes: config.rateAnswerBurstBytes,
				maxQueuedBytes: Math.max(4 * config.maxMessageBytes, 4 * 1024 * 1024)
			},
			authorize: (meetingId, request) =>
				this.origins.allows(request.headers.origin, request.headers.host)
					? this.#authorizeYjs(meetingId, request.headers.cookie)
					: Promise.resolve({ ok: false, code: CloseCode.Forbidden }),
			onOpen: (connection) => {
				const { participantId, userId, sessionId } = connection.identity;
				const unregister = this.connections.add(connection, { participantId, userId, sessionId });
				const opened = this.#yjsPrincipals.get(connection.identity);
				if (!opened) return unregister;
				this.trail.recordConnection('joined', opened.principal, opened.meetingId, 'yjs', participantId);
				return () => {
					unregister();
					this.trail.recordConnection('left', opened.principal, opened.meetingId, 'yjs', participantId);
				};
			},
			onConnectionCountChange: (n) => metrics.openConnections.set({ channel: 'yjs' }, n)
		});
		this.room = new Room(this.db, this.policy, roomChanged, this.audit);
		this.scribes = new Scribes({
			db: this.db,
			meetings: this.meetings,
			participants: this.participants,
			policy: this.policy,
			audit: this.audit,
			onChange: roomChanged
		});
		this.followUp = new FollowUp(this.db, this.policy, roomChanged, this.audit);
		this.catalogue = new Catalogue(this.db);
		this.closing = new Closing({
			db: this.db,
			meetings: this.meetings,
			participants: this.participants,
			invites: this.invites,
			consents: this.consents,
			documents: this.documents,
			store: this.store,
			room: this.room,
			followUp: this.followUp,
			scribes: this.scribes,
			audit: this.audit,
			policy: this.policy,
			inviteTtlMs: config.inviteTtlDays * 24 * 60 * 60 * 1000,
			onChange: roomChanged,
			disconnectMeeting: (meetingId) => this.events.emit('meeting-deleted', meetingId),
			forgetDeleted: async () => {
				if (await truncateLog(this.db)) return;
				log.error('after a deletion the write-ahead log could not be truncated; the deleted content stays in it until the next deletion or shutdown truncates it');
			}
		});
		this.retention = new Retention({
			db: this.db,
			closing: this.closing,
			policy: this.policy,
			rule: { retentionDays: config.retentionDays, idleDays: config.pathIdleDays }
		});
		this.trail = new AuditTrail({
			audit: this.audit,
			policy: this.policy,
			meetings: this.meetings,
			participants: this.participants,
			pathOf: (meetingId) => {
				const meetingIds = this.retention.pathOf(meetingId);
				return meetingIds.length === 0 ? null : { pathId: meetingIds[0]!, meetingIds };
			},
			log
		});
		this.clientConsent = new Consents({
			consents: this.consents,
			audit: this.audit,
			policy: this.policy,
			nameOf: (participantId) => this.participants.get(participantId)?.name ?? null,
			clientOf: (meetingId) => this.participants.list(meetingId).find((p) => p.role === 'client' && !p.revoked)?.id ?? null,
			onChange: roomChanged
		});
		const realtime = createRealtime({
			log,
			events: this.events,
			connections: this.connections,
			room: this.room,
			scribes: this.scribes,
			decisions: (meetingId) => this.decisions(meetingId),
			principalOf: (cookieHeader) => this.principalOf(cookieHeader),
			origins: this.origins,
			access: (principal, meetingId) => this.policy.meeting(principal, meetingId),
			onJoin: (principal, meetingId, participantId) => this.trail.recordConnection('joined', principal, meetingId, 'socket.io', participantId),
			onLeave: (principal, meetingId, participantId) => this.trail.recordConnection('left', principal, meetingId, 'socket.io', participantId),
			onRead: (principal, meetingId, participantId, view) => this.trail.recordSocketRead(principal, meetingId, participantId, view),
			documentSnapshot: async (meetingId) => {
				const live = this.documents.get(meetingId);
				if (!live || live.state !== 'ready') return null;
				// Encoded once per document state (answers.ts): a flood of these costs no CPU per event.
				return live.run(() => live.answers.snapshot());
			},
			onConnectionCountChange: (n) => metrics.openConnections.set({ channel: 'socket.io' }, n),
			limits: { eventsPerSecond: config.socketEventsPerSecond, eventBurst: config.socketEventBurst }
		});
		this.io = realtime.io;
		this.#engine = realtime.engine;
	}

	/**
	 * Starts the background work of a serving process: the WAL checkpoint thread, the revocation
	 * sweep (every 500 ms) and the daily retention purge. Not in the constructor, so that a
	 * short-lived App (the admin command line, a test seeding a data folder) runs none of it.
	 * Idempotent; `close()` stops them.
	 */
	start(): void {
		if (this.#timers.length > 0 || this.#closing) return;
		const { config } = this;
		if (config.dataDir !== ':memory:' && config.checkpointIntervalMs > 0) {
			this.#checkpointer = new Checkpointer(this.db, {
				file: databasePath(config),
				syncMode: config.syncMode,
				intervalMs: config.checkpointIntervalMs,
				log: this.log
			});
		}
		this.#lastSweep = new Date().toISOString();
		this.#timers = [
			setInterval(() => {
				this.purgeExpired().catch((error: unknown) => this.log.error({ err: error }, 'retention purge failed'));
			}, 24 * 60 * 60 * 1000).unref(),
			setInterval(() => {
				try {
					this.#sweepRevocations();
				} catch (error) {
					this.log.error({ err: error }, 'revocation sweep failed');
				}
			}, 500).unref()
		];
	}

	/** The Yjs upgrade's authorization: the same Policy as every other channel. */
	async #authorizeYjs(meetingId: string, cookieHeader: string | undefined): Promise<AuthorizeVerdict> {
		const principal = await this.principalOf(cookieHeader);
		const verdict = this.policy.meeting(principal, meetingId);
		if (!verdict.ok) {
			const code = { unauthenticated: CloseCode.Unauthenticated, not_found: CloseCode.MeetingNotFound, forbidden: CloseCode.Forbidden }[
				verdict.reason
			];
			return { ok: false, code };
		}
		const { participant, canEdit } = verdict.access;
		const identity: PeerIdentity = {
			participantId: participant.id,
			userId: participant.userId,
			name: participant.name,
			chosenName: participant.chosenName,
			role: participant.role,
			// `view` access: its updates and awareness are dropped. The `editContent` ability is also
			// false once the meeting is closed; that is enforced at the write itself, for connections
			// opened before closing and after it alike: a closed document stores and relays no update
			// (LiveDocument.markClosed, `isClosed` on load). Awareness (presence) still flows, so a
			// quiet closed room does not look lost to the stock provider's 30 s message timeout.
			canWrite: canEdit,
			sessionId: principal.kind === 'anonymous' ? null : principal.sessionId
		};
		this.#yjsPrincipals.set(identity, { principal, meetingId });
		return { ok: true, identity };
	}

	/**
	 * Closes the live connections of accounts disabled and participants revoked since the last sweep,
	 * whichever process did it (this server, the admin command line, another instance): within a second.
	 */
	#sweepRevocations(): void {
		// Another process stamps `disabled_at`/`revoked_at` before its commit, which may wait up to
		// the busy timeout (5 s) for our writes: look back past that, or a sweep that ran in between
		// would miss it for good. Closing a revoked peer's connections again is harmless.
		const since = new Date(Date.parse(this.#lastSweep) - 10_000).toISOString();
		this.#lastSweep = new Date().toISOString();
		for (const id of this.users.disabledSince(since)) {
			this.connections.closeUser(id, CloseCode.Forbidden, 'account disabled');
		}
		for (const id of this.participants.revokedSince(since)) {
			this.connections.closeParticipant(id, CloseCode.Forbidden, 'access revoked');
		}
		// A session that expires while its connections are open ends them within this sweep's interval.
		this.connections.closeExpired();
	}

	/**
	 * Deletes the content of the service paths that ended more than RETENTION_DAYS ago, and the audit
	 * entries older than AUDIT_RETENTION_DAYS (daily, at start, and `npm run admin -- purge`); `now`
	 * is injectable so tests need not wait months.
	 */
	async purgeExpired(now = new Date()): Promise<{ paths: number; meetings: number }> {
		const deleted = await this.retention.purgeExpired(now);
		if (deleted.meetings > 0) {
			this.log.info(
				{ ...deleted, retentionDays: this.config.retentionDays, pathIdleDays: this.config.pathIdleDays },
				'retention: deleted closed meetings'
			);
		}
		this.purgeAuditTrail(now);
		return deleted;
	}

	/**
	 * Deletes the audit entries older than AUDIT_RETENTION_DAYS: the trail's own clock, so it outlives
	 * the content it describes (docs/audit.md). Returns how many were deleted.
	 */
	purgeAuditTrail(now = new Date()): number {
		const auditEvents = this.audit.purgeOlderThan(this.config.auditRetentionDays, now);
		if (auditEvents > 0) {
			this.log.info({ auditEvents, auditRetentionDays: this.config.auditRetentionDays }, 'retention: deleted old audit entries');
		}
		return auditEvents;
	}

	/** A meeting's decisions as the room shows them: phase, hands, turn, responsible worker, rating. */
	decisions(meetingId: string): Omit<RoomState, 'meetingId' | 'online'> {
		const workAbility = this.followUp.workAbility(meetingId);
		return {
			...this.room.decisions(meetingId),
			closed: this.closing.isClosed(meetingId),
			kind: this.closing.kindOf(meetingId),
			responsible: this.followUp.get(meetingId),
			workAbilityScore: workAbility?.score ?? null,
			workAbilityRecordedBy: workAbility ? (recorderOtherThanClient(this.participants, meetingId)(workAbility.recordedBy)?.participantId ?? null) : null,
			consent: this.clientConsent.view(this.consents.latest(meetingId)),
			responsibleProposal: this.followUp.proposal(meetingId),
			scribes: this.scribes.scribes(meetingId),
			writtenFor: this.scribes.list(meetingId),
			goalsWrittenFor: this.scribes.goals(meetingId)
		};
	}

	/**
	 * The client's own words as the document holds them now: the room page renders them into the
	 * client's words field, so a phone can show and take typing before its scripts and the live
	 * document arrive (docs/performance.md). The caller has authorized the reader (loadRoom).
	 */
	clientWords(meetingId: string): Promise<string> {
		return this.documents.read(meetingId, (doc) => clientVoice(doc).toString());
	}

	/**
	 * The live plan as data (`GET /api/meetings/:id/plan`). Once closed, that is the plan version
	 * itself: nothing changes a closed plan, and what changes around it (a participant removed
	 * afterwards, a new display name) must not make the "live" plan disagree with the hashed one.
	 */
	async plan(meetingId: string): Promise<PlanJson> {
		const version = this.closing.version(meetingId);
		if (version) return version.plan;
		return readPlan(meetingId, {
			documents: this.documents,
			participants: this.participants,
			room: this.room,
			followUp: this.followUp,
			consents: this.consents,
			scribes: this.scribes
		});
	}

	/**
	 * One export of a closed plan for a participant, recorded in the audit trail
	 * (`GET /api/meetings/:id/export.*`, docs/api.md). `locale` asks for another language than the meeting's.
	 */
	exportFile(principal: Principal, meetingId: string, format: ExportFormat, locale?: string | null): Promise<ExportFile> {
		return exportMeeting(this, principal, meetingId, format, locale);
	}

	/**
	 * What the summary page of a closed meeting shows in the reader's `locale`: the plan version and
	 * evaluation (the exports' input), each organisation's excerpt and the plain-language plan.
	 * The caller has checked access (Participation.view).
	 */
	async summary(meetingId: string, locale: string) {
		const input = await exportInput(this, meetingId, locale);
		return { input, excerpts: organisationExcerpts(input), plain: plainSummary(input) };
	}

	/** A page request's session, by the id in its cookie: who is asking, and whether to extend the cookie. */
	session(sessionId: string | null | undefined): ReturnType<typeof principalFor> {
		return principalFor(this.auth, sessionId);
	}

	/** Who is asking, from the session cookie of an HTTP request or upgrade. */
	async principalOf(cookieHeader: string | undefined): Promise<Principal> {
		return (await principalFor(this.auth, sessionIdFromCookieHeader(cookieHeader))).principal;
	}

	/**
	 * Serves the app's own HTTP endpoints (/healthz, /metrics, /socket.io/); anything else goes to
	 * `next` (SvelteKit's handler, or Vite's middleware in development).
	 */
	handleRequest = (req: IncomingMessage, res: ServerResponse, next: Next): void => {
		const path = pathOf(req);
		// Every state-changing request, whatever its content type, before anything reads it
		// (server/origins.ts; SvelteKit's own check covers form content types only).
		if (isStateChanging(req.method) && !this.origins.allows(req.headers.origin, req.headers.host)) {
			res.writeHead(403, { 'content-type': 'application/json', 'cache-control': 'no-store' });
			res.end(JSON.stringify(foreignOriginError));
			return;
		}
		if (path.startsWith('/socket.io/')) {
			this.#engine.handleRequest(req, res);
		} else if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
			const ok = this.#closing === undefined;
			res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
			res.end(JSON.stringify({ status: ok ? 'ok' : 'shutting down' }));
		} else if (path === '/metrics' && req.method === 'GET') {
			this.metrics.registry.metrics().then(
				(body) => {
					res.writeHead(200, { 'content-type': this.metrics.registry.contentType });
					res.end(body);
				},
				(error: unknown) => {
					this.log.error({ err: error }, 'metrics failed');
					res.writeHead(500).end();
				}
			);
		} else {
			next();
		}
	};

	/**
	 * The one upgrade router: /yjs/<meetingId> and /socket.io/ are ours. Returns false for any other
	 * path so that the caller can leave it alone (Vite's HMR socket) or refuse it (production).
	 */
	handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): boolean => {
		const path = pathOf(req);
		if (path.startsWith('/socket.io/')) {
			this.#engine.handleUpgrade(req, socket, head);
			return true;
		}
		if (path.startsWith('/yjs/')) {
			let meetingId: string;
			try {
				meetingId = decodeURIComponent(path.slice('/yjs/'.length));
			} catch {
				meetingId = '';
			}
			if (this.#closing) {
				socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
				return true;
			}
			// A malformed id cannot name a meeting: same answer as an unknown one.
			this.#yjs.handleUpgrade(req, socket, head, meetingIdPattern.test(meetingId) ? meetingId : '');
			return true;
		}
		return false;
	};

	/**
	 * Attaches the realtime endpoints to the HTTP server that serves this App, and starts its
	 * background work (`start()`): a serving process is one that attached.
	 */
	attach(server: HttpServer, options: { refuseOtherUpgrades: boolean }): void {
		this.start();
		// Node closes an idle keep-alive connection after 5 s; a client that reuses it at that moment
		// (an API client, a proxy with a longer idle timeout) gets ECONNRESET on a request the server
		// never saw. Idle connections last longer than such clients keep theirs; shutdown still closes them.
		server.keepAliveTimeout = 65_000;
		server.headersTimeout = 66_000;
		server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
			if (!this.handleUpgrade(req, socket, head) && options.refuseOtherUpgrades) {
				socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
			}
		});
	}

	/** Stops accepting, closes every peer, stores what is pending, closes the database. Idempotent. */
	close(): Promise<void> {
		this.#closing ??= (async () => {
			this.log.info('shutting down');
			for (const timer of this.#timers) clearInterval(timer);
			this.#timers = [];
			this.room.close();
			await new Promise<void>((resolve) => this.io.close(() => resolve()));
			await this.documents.shutdown(CloseCode.GoingAway, 'server shutting down');
			this.#yjs.close();
			await this.#checkpointer?.stop();
			this.db.close();
			this.log.info('stopped');
		})();
		return this.#closing;
	}
}

function pathOf(req: IncomingMessage): string {
	const url = req.url ?? '/';
	const query = url.indexOf('?');
	return query === -1 ? url : url.slice(0, query);
}
