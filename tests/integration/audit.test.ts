/**
 * Every access to a client's data is in the audit trail (issue #20 item 7, docs/audit.md; the
 * Client Data Act 703/2023 lets the client ask who accessed it): a scripted meeting on a real
 * server — real y-websocket providers and socket.io clients, invitations, decisions, exports, a
 * close, the trail's CSV — and then the trail must list each access with who, the session and the
 * channel, and hold none of the words typed. The reads over HTTP go through the one function
 * hooks.server.ts calls for every meeting route (`auditedRead` → `AuditTrail.recordRead`); the
 * same reads through SvelteKit itself are tests/e2e/audit.spec.ts.
 *
 * AUDIT_RETENTION_DAYS: the trail outlives the content it describes, on its own clock.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sessionRef, type AuditEvent } from '../../server/audit.js';
import { DomainError } from '../../server/errors.js';
import { exportMeeting } from '../../server/exports/index.js';
import type { Principal } from '../../server/policy.js';
import { auditedRead } from '../../src/lib/server/access-audit.js';
import { clientVoice, change } from '../../src/lib/meeting/index.js';
import { account } from '../helpers/people.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { connectProvider, synced } from '../helpers/yjs-client.js';
import { closeAsCoordinator, eventually, planMeeting, words } from './plans.js';
import { connectSocket, removeDir, type RealtimeSocket } from './support.js';

const routesDir = fileURLToPath(new URL('../../src/routes', import.meta.url));

/** Every route id under `src/routes` with a GET (a page, or a `+server.ts` that exports GET). */
function getRoutes(): string[] {
	const ids: string[] = [];
	const walk = (dir: string) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			const id = `/${path.relative(routesDir, dir).split(path.sep).join('/')}`.replace(/\/$/, '') || '/';
			if (entry.name === '+page.svelte') ids.push(id);
			if (entry.name === '+server.ts' && /export const GET\b/.test(fs.readFileSync(full, 'utf8'))) ids.push(id);
		}
	};
	walk(routesDir);
	return ids;
}

let srv: TestServer;
const cleanup: Array<() => void> = [];

beforeEach(async () => {
	srv = await startServer({ retentionDays: 90, pathIdleDays: 180, auditRetentionDays: 500 });
});
afterEach(async () => {
	for (const done of cleanup.splice(0)) done();
	await srv?.close();
	if (srv) removeDir(srv.dataDir);
});

async function socketOf(cookie: string): Promise<RealtimeSocket> {
	const socket = await connectSocket(srv.url, cookie);
	cleanup.push(() => socket.disconnect());
	return socket;
}

/** The raw rows, every column: what an investigator (or an attacker with the file) would read. */
const rawTrail = () => JSON.stringify(srv.app.db.prepare('SELECT * FROM audit_events').all());

describe('the audit trail of a scripted meeting', () => {
	it('every meeting route with a GET is audited by the hook, or records itself (exports, the CSV)', () => {
		const meetingRoutes = getRoutes().filter((id) => /^\/(api\/)?meetings\/\[id\]/.test(id));
		expect(meetingRoutes.length).toBeGreaterThan(15);
		for (const id of meetingRoutes) {
			const read = auditedRead(id, 'GET');
			const recordsItself = /\/export\.[^/]+$|\/audit\.csv$/.test(id);
			expect({ id, audited: read !== null || recordsItself }).toEqual({ id, audited: true });
		}
		expect(auditedRead('/meetings/[id]', 'GET')).toEqual({ channel: 'page', view: 'room' });
		expect(auditedRead('/api/meetings/[id]', 'GET')).toEqual({ channel: 'api', view: 'meeting' });
		expect(auditedRead('/api/meetings/[id]/plan', 'GET')).toEqual({ channel: 'api', view: 'plan' });
		expect(auditedRead('/api/meetings/[id]/plan', 'PUT')).toBeNull();
		expect(auditedRead('/accounts', 'GET')).toBeNull();
	});

	it('lists every access made in it, with who and from which session, and no content', async () => {
		const app = srv.app;
		const plan = await planMeeting(srv);
		cleanup.push(() => plan.provider.destroy());
		const { meeting, coordinator, client, nurse } = plan;
		const meetingId = meeting.id;
		const clientPrincipal = await app.principalOf(client.cookie);
		const nursePrincipal = await app.principalOf(nurse.cookie);
		const coordinatorId = app.participation.access(coordinator.principal, meetingId).participant.id;
		const refOf = (principal: Principal) => (principal.kind === 'anonymous' ? null : sessionRef(principal.sessionId));

		// The client opens the document and writes in their own words.
		const secret = 'Kissankello-Sjöström-salasana';
		const clientDoc = new Y.Doc();
		const { provider: clientProvider } = connectProvider(srv.yjsUrl, meetingId, clientDoc, { cookie: client.cookie });
		cleanup.push(() => clientProvider.destroy());
		await synced(clientProvider);
		change(clientDoc, () => clientVoice(clientDoc).insert(0, `${secret} `));
		await eventually(async () => expect((await app.plan(meetingId)).clientVoice).toContain(secret));

		// The room over socket.io: the nurse raises a hand, the coordinator moves the agenda and gives the turn.
		const nurseSocket = await socketOf(nurse.cookie);
		const coordinatorSocket = await socketOf(coordinator.cookie);
		expect(await nurseSocket.emitWithAck('meeting:join', { meetingId })).toMatchObject({ ok: true });
		expect(await coordinatorSocket.emitWithAck('meeting:join', { meetingId })).toMatchObject({ ok: true });
		expect(await nurseSocket.emitWithAck('room:hand', { meetingId, raised: true })).toEqual({ ok: true });
		expect(await coordinatorSocket.emitWithAck('room:phase', { meetingId, phase: 'plan' })).toEqual({ ok: true });
		expect(await coordinatorSocket.emitWithAck('room:turn', { meetingId, participantId: nurse.participant.id })).toEqual({ ok: true });
		expect(await nurseSocket.emitWithAck('doc:snapshot', { meetingId })).toMatchObject({ ok: true });

		// Reads over HTTP, as hooks.server.ts records them once answered.
		for (const routeId of ['/meetings/[id]', '/api/meetings/[id]/plan', '/meetings/[id]/history']) {
			app.trail.recordRead(nursePrincipal, meetingId, auditedRead(routeId, 'GET')!);
		}
		// Decisions: the client's work ability, then the close; then an export and the trail itself.
		app.followUp.setWorkAbility(app.participation.access(clientPrincipal, meetingId), 6);
		await closeAsCoordinator(srv, plan);
		await exportMeeting(app, nursePrincipal, meetingId, 'pdf');
		app.trail.recordRead(coordinator.principal, meetingId, auditedRead('/meetings/[id]/audit', 'GET')!);
		const csv = app.trail.csv(coordinator.principal, meetingId).body;

		// Leaving: the client closes the document, the nurse leaves the room and the coordinator's socket drops.
		clientProvider.destroy();
		nurseSocket.emit('meeting:leave', { meetingId });
		coordinatorSocket.disconnect();

		const has = (events: AuditEvent[], action: string, principal: Principal, participantId: string, detail: Record<string, unknown> = {}) =>
			events.some(
				(e) =>
					e.action === action &&
					e.actorParticipantId === participantId &&
					e.sessionRef === refOf(principal) &&
					Object.entries(detail).every(([key, value]) => e.detail?.[key] === value)
			);
		const expected: Array<[string, Principal, string, Record<string, unknown>?]> = [
			['joined', clientPrincipal, client.participant.id, { channel: 'yjs' }],
			['left', clientPrincipal, client.participant.id, { channel: 'yjs' }],
			['joined', coordinator.principal, coordinatorId, { channel: 'yjs' }],
			['joined', nursePrincipal, nurse.participant.id, { channel: 'socket.io' }],
			['left', nursePrincipal, nurse.participant.id, { channel: 'socket.io' }],
			['joined', coordinator.principal, coordinatorId, { channel: 'socket.io' }],
			['left', coordinator.principal, coordinatorId, { channel: 'socket.io' }],
			['hand_raised', nursePrincipal, nurse.participant.id],
			['phase_changed', coordinator.principal, coordinatorId, { phase: 'plan' }],
			['turn_given', coordinator.principal, coordinatorId, { participantId: nurse.participant.id }],
			['meeting_viewed', nursePrincipal, nurse.participant.id, { channel: 'socket.io', view: 'snapshot' }],
			['meeting_viewed', nursePrincipal, nurse.participant.id, { channel: 'page', view: 'room' }],
			['meeting_viewed', nursePrincipal, nurse.participant.id, { channel: 'api', view: 'plan' }],
			['meeting_viewed', nursePrincipal, nurse.participant.id, { channel: 'page', view: 'history' }],
			['responsible_set', coordinator.principal, coordinatorId, { responsible: plan.kela.participant.id }],
			['work_ability_recorded', clientPrincipal, client.participant.id],
			['meeting_closed', coordinator.principal, coordinatorId],
			['export', nursePrincipal, nurse.participant.id, { format: 'pdf' }],
			['audit_viewed', coordinator.principal, coordinatorId, { channel: 'page', view: 'audit' }],
			['audit_downloaded', coordinator.principal, coordinatorId, { channel: 'csv' }]
		];
		await eventually(() => {
			const events = app.audit.forMeeting(meetingId);
			const missing = expected.filter(([action, principal, participantId, detail]) => !has(events, action, principal, participantId, detail));
			expect(missing.map(([action, , participantId, detail]) => ({ action, participantId, detail }))).toEqual([]);
		});
		// Every entry made by someone names their session.
		for (const event of app.audit.forMeeting(meetingId)) {
			if (event.actorName !== null) expect(event.sessionRef, event.action).toMatch(/^[0-9a-f]{12}$/);
		}
		// Never content: no word anyone typed, neither in the rows nor in the client's file.
		const typed = [secret, words.clientVoice, ...words.goals, ...words.actions, ...words.services, 'asa.lindstrom@example.fi', '020 634 0000', 'En ole töissä lainkaan.'];
		for (const trail of [rawTrail(), csv]) {
			for (const text of typed) expect(trail).not.toContain(text);
		}
		// The file the coordinator downloaded is in the meeting's language and already lists its own download.
		expect(csv).toContain('Latasi lokitiedot');
		expect(csv).toContain('Liittyi tapaamiseen');
		expect(csv).not.toMatch(/meeting_viewed|audit_downloaded/);
	});

	it('gives the path trail only to a coordinator of the meeting, and says what is wrong with a bad request', async () => {
		const plan = await planMeeting(srv);
		cleanup.push(() => plan.provider.destroy());
		const client = await srv.app.principalOf(plan.client.cookie);
		const codeOf = (work: () => unknown) => {
			try {
				work();
				return 'ok';
			} catch (error) {
				return error instanceof DomainError ? error.code : String(error);
			}
		};
		expect(codeOf(() => srv.app.trail.csv(client, plan.meeting.id))).toBe('forbidden');
		const stranger = await account(srv.app, 'coordinator', 'Örjan Väisänen');
		expect(codeOf(() => srv.app.trail.csv(stranger.principal, plan.meeting.id))).toBe('forbidden');
		expect(codeOf(() => srv.app.trail.csv({ kind: 'anonymous' }, plan.meeting.id))).toBe('unauthenticated');
		expect(() => srv.app.trail.csv(plan.coordinator.principal, plan.meeting.id, { scope: 'everything' })).toThrow('scope must be "meeting" or "path".');
		expect(() => srv.app.trail.csv(plan.coordinator.principal, plan.meeting.id, { lang: 'de' })).toThrow('lang must be fi, sv or en.');
		const sv = srv.app.trail.csv(plan.coordinator.principal, plan.meeting.id, { scope: 'path', lang: 'sv' });
		expect(sv.body).toContain('Laddade ner loggen');
		expect(sv.fileName).toMatch(/^logg-.+\.csv$/);
	});
});

describe('AUDIT_RETENTION_DAYS', () => {
	const dayMs = 24 * 60 * 60 * 1000;

	it('keeps the trail of a purged meeting after its content is gone, and deletes it on its own clock', async () => {
		const app = srv.app;
		const plan = await planMeeting(srv);
		plan.provider.destroy();
		await closeAsCoordinator(srv, plan);
		const meetingId = plan.meeting.id;
		await eventually(() => expect(app.audit.forMeeting(meetingId).some((e) => e.action === 'left')).toBe(true));
		const before = app.audit.forMeeting(meetingId).length;

		// Content retention: the path (ended 180 days after its follow-up, at most three months away) is
		// deleted 90 days later; 400 days from now it is gone, the trail is not.
		expect(await app.purgeExpired(new Date(Date.now() + 400 * dayMs))).toEqual({ paths: 1, meetings: 1 });
		expect(app.meetings.exists(meetingId)).toBe(false);
		const kept = app.audit.forMeeting(meetingId);
		expect(kept.length).toBe(before + 1);
		expect(kept.at(-1)).toMatchObject({ action: 'deleted', detail: { reason: 'retention', path: meetingId } });
		// The path's trail still finds the purged meeting by its `deleted` entry.
		expect(app.audit.forPath(meetingId, []).length).toBe(before + 1);
		for (const text of [words.clientVoice, ...words.goals]) expect(rawTrail()).not.toContain(text);

		// The trail's own clock: kept until AUDIT_RETENTION_DAYS (500) after each entry, then deleted.
		expect(app.purgeAuditTrail(new Date(Date.now() + 499 * dayMs))).toBe(0);
		expect(app.audit.forMeeting(meetingId).length).toBe(before + 1);
		// The daily purge does both.
		await app.purgeExpired(new Date(Date.now() + 501 * dayMs));
		expect(app.audit.forMeeting(meetingId)).toEqual([]);
	});
});
