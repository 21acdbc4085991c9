/**
 * Retention follows the client's service path (issue 19, docs/retention.md): a first meeting closed
 * long ago is kept while its follow-up is open or still to come, and every meeting of the path is
 * deleted RETENTION_DAYS after the path ends, whether its closing meeting closed or it went idle.
 * A coordinator of every meeting of the path may delete it now; nobody else. A real App on a temp
 * SQLite file, real y-websocket providers; time moves through `now`, never by waiting.
 *
 * The JSON API and the page around these services (`GET /api/meetings/:id/history`,
 * `DELETE /api/meetings/:id/path`, the history page) are SvelteKit's: tests/e2e/retention.spec.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../server/errors.js';
import { addMonths, helsinkiToday } from '../../server/follow-up.js';
import type { Meeting } from '../../server/meetings.js';
import { helsinkiLocalToInstant } from '../../src/lib/time/helsinki.js';
import { account, cookieFor, type Account } from '../helpers/people.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { removeDir } from './support.js';
import { closeAsCoordinator, planMeeting, type PlanMeeting } from './plans.js';

const dayMs = 24 * 60 * 60 * 1000;
const retentionDays = 90;
const idleDays = 180;

let srv: TestServer;
const providers: Array<{ destroy(): void }> = [];

// A server each: a purge far in the future would otherwise delete another test's paths.
beforeEach(async () => {
	srv = await startServer({ retentionDays, pathIdleDays: idleDays });
});
afterEach(async () => {
	for (const provider of providers.splice(0)) provider.destroy();
	await srv?.close();
	if (srv) removeDir(srv.dataDir);
});

/** `days` days from the real now: the purge's clock. */
const inDays = (days: number) => new Date(Date.now() + days * dayMs);

/** `date` plus `days` calendar days, `YYYY-MM-DD`. */
function addDays(date: string, days: number): string {
	const at = new Date(`${date}T00:00:00Z`);
	at.setUTCDate(at.getUTCDate() + days);
	return at.toISOString().slice(0, 10);
}

/** The end of the idle window: the Helsinki midnight after the day `idleDays` after `followUp`. */
const idleEnd = (followUp: string) => helsinkiLocalToInstant(`${addDays(followUp, idleDays + 1)}T00:00`)!;
/** Its deletion: the Helsinki midnight RETENTION_DAYS calendar days later. */
const idleDelete = (followUp: string) => helsinkiLocalToInstant(`${addDays(followUp, idleDays + retentionDays + 1)}T00:00`)!;

async function plannedAndClosed(): Promise<PlanMeeting> {
	const plan = await planMeeting(srv);
	providers.push(plan.provider);
	// The client's work ability at the start: the closing meeting's baseline.
	srv.app.followUp.setWorkAbility(srv.app.participation.access(plan.coordinator.principal, plan.meeting.id), 4);
	await closeAsCoordinator(srv, plan);
	return plan;
}

/** Starts the next meeting of the path from `previousId`, as the coordinator does. */
async function startNext(plan: PlanMeeting, previousId: string, kind: 'follow_up' | 'closing') {
	const app = srv.app;
	return app.closing.startNext(app.participation.access(plan.coordinator.principal, previousId), plan.coordinator.principal, {
		kind,
		title: kind === 'closing' ? 'Päätöstapaaminen – Sanna H.' : 'Seurantatapaaminen – Sanna H.'
	});
}

/** Completes and closes a follow-up or closing meeting: the client joins (consent), Kela's worker is named. */
async function closeNext(plan: PlanMeeting, next: Awaited<ReturnType<typeof startNext>>, followUpDate: string) {
	const app = srv.app;
	const clientInvite = next.invites.find((invite) => app.participants.get(invite.participantId)?.role === 'client')!;
	await app.participation.join(clientInvite.token, { name: 'Sanna Häkkinen', consent: ['health', 'kela'] }, '127.0.0.1');
	const kela = app.participation.participants(plan.coordinator.principal, next.meeting.id).find((p) => p.role === 'kela')!;
	const access = app.participation.access(plan.coordinator.principal, next.meeting.id);
	app.followUp.set(access, { participantId: kela.id, followUpDate, followUpMode: 'call', contact: '020 634 0000' });
	// The carried-over actions have no owner or due date here; record.test.ts tests that confirmation.
	return app.closing.close(access, plan.coordinator.principal, { confirmIncompleteActions: true });
}

const exists = (meeting: { id: string }) => srv.app.meetings.exists(meeting.id);

describe('a path whose closing meeting closes', () => {
	it('keeps its first meeting 200 days on while a follow-up is open or to come, then deletes every meeting RETENTION_DAYS after the close', async () => {
		const app = srv.app;
		const plan = await plannedAndClosed();
		const first = plan.meeting;
		expect(app.retention.forMeeting(first.id).state).toBe('awaiting_follow_up');

		// The follow-up is open: nothing of the path is scheduled for deletion, whatever the date.
		const followUp = await startNext(plan, first.id, 'follow_up');
		expect(app.retention.forMeeting(first.id)).toMatchObject({ state: 'open', endsAt: null, deleteAfter: null });
		expect(await app.purgeExpired(inDays(200))).toEqual({ paths: 0, meetings: 0 });
		expect(await app.purgeExpired(inDays(2000))).toEqual({ paths: 0, meetings: 0 });
		expect(exists(first)).toBe(true);

		// Closed with a follow-up date a month on: the path waits for it, PATH_IDLE_DAYS longer.
		const followUpDate = addMonths(helsinkiToday(), 1);
		await closeNext(plan, followUp, followUpDate);
		expect(app.retention.forMeeting(first.id)).toEqual({
			state: 'awaiting_follow_up',
			endsAt: idleEnd(followUpDate).toISOString(),
			deleteAfter: idleDelete(followUpDate).toISOString(),
			retentionDays,
			idleDays
		});
		expect(await app.purgeExpired(inDays(200))).toEqual({ paths: 0, meetings: 0 });
		expect(exists(first) && exists(followUp.meeting)).toBe(true);

		// The closing meeting still sees the path: the baseline work ability is the first meeting's.
		const closing = await startNext(plan, followUp.meeting.id, 'closing');
		expect((await app.closing.evaluation(closing.meeting.id)).workAbility.baseline).toBe(4);
		const version = await closeNext(plan, closing, addMonths(helsinkiToday(), 1));

		// The closing meeting ended the path; its content goes RETENTION_DAYS after the close, all together.
		const deleteAfter = new Date(Date.parse(version.closedAt) + retentionDays * dayMs);
		expect(app.retention.forMeeting(followUp.meeting.id)).toMatchObject({
			state: 'ended',
			endsAt: version.closedAt,
			deleteAfter: deleteAfter.toISOString()
		});
		expect(await app.purgeExpired(new Date(deleteAfter.getTime() - 1))).toEqual({ paths: 0, meetings: 0 });
		expect([first, followUp.meeting, closing.meeting].map(exists)).toEqual([true, true, true]);

		expect(await app.purgeExpired(deleteAfter)).toEqual({ paths: 1, meetings: 3 });
		expect([first, followUp.meeting, closing.meeting].map(exists)).toEqual([false, false, false]);
		for (const meeting of [first, followUp.meeting, closing.meeting]) {
			expect(app.audit.forMeeting(meeting.id).at(-1)).toMatchObject({ action: 'deleted', detail: { reason: 'retention', path: first.id } });
			const count = (table: string) => app.db.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM ${table} WHERE meeting_id = ?`).get(meeting.id)!.n;
			for (const table of ['yjs_updates', 'yjs_snapshots', 'plan_versions', 'participants', 'consents', 'work_ability_scores']) {
				expect(count(table), table).toBe(0);
			}
		}
	});
});

describe('a path that goes idle', () => {
	it('ends PATH_IDLE_DAYS after its last follow-up date with no new meeting, and is deleted RETENTION_DAYS later', async () => {
		const app = srv.app;
		const plan = await plannedAndClosed();
		const first = plan.meeting;
		const followUp = await startNext(plan, first.id, 'follow_up');
		const followUpDate = addMonths(helsinkiToday(), 2);
		await closeNext(plan, followUp, followUpDate);
		const ends = idleEnd(followUpDate);
		const deleteAfter = idleDelete(followUpDate);

		// Within the idle window the path may still be followed up.
		expect(app.retention.forMeeting(first.id, new Date(ends.getTime() - 1)).state).toBe('awaiting_follow_up');
		expect(await app.purgeExpired(new Date(ends.getTime() - 1))).toEqual({ paths: 0, meetings: 0 });
		// Ended, but within RETENTION_DAYS of its end.
		expect(app.retention.forMeeting(first.id, ends)).toMatchObject({ state: 'ended', endsAt: ends.toISOString(), deleteAfter: deleteAfter.toISOString() });
		expect(await app.purgeExpired(new Date(deleteAfter.getTime() - 1))).toEqual({ paths: 0, meetings: 0 });
		expect(exists(first) && exists(followUp.meeting)).toBe(true);

		expect(await app.purgeExpired(deleteAfter)).toEqual({ paths: 1, meetings: 2 });
		expect(exists(first) || exists(followUp.meeting)).toBe(false);
	});

	it('is kept again when a meeting of it is opened before its content is deleted', async () => {
		const app = srv.app;
		const plan = await plannedAndClosed();
		const followUpDate = app.followUp.get(plan.meeting.id)!.followUpDate;
		const deleteAfter = idleDelete(followUpDate);
		await startNext(plan, plan.meeting.id, 'follow_up');
		expect(await app.purgeExpired(deleteAfter)).toEqual({ paths: 0, meetings: 0 });
		expect(exists(plan.meeting)).toBe(true);
	});

	it('of one meeting: a meeting that no follow-up ever came to is a path of its own', async () => {
		const app = srv.app;
		const lone = await plannedAndClosed();
		const other = await plannedAndClosed();
		await startNext(other, other.meeting.id, 'follow_up');
		const deleteAfter = app.retention.forMeeting(lone.meeting.id).deleteAfter!;
		expect(deleteAfter).toBe(idleDelete(app.followUp.get(lone.meeting.id)!.followUpDate).toISOString());
		expect(await app.purgeExpired(new Date(deleteAfter))).toEqual({ paths: 1, meetings: 1 });
		expect([exists(lone.meeting), exists(other.meeting)]).toEqual([false, true]);
	});
});

describe('deleting a whole path now', () => {
	async function refusalOf(work: () => Promise<unknown>): Promise<DomainError> {
		const error = await work().then(
			() => null,
			(e: unknown) => e
		);
		expect(error).toBeInstanceOf(DomainError);
		return error as DomainError;
	}

	it('is a coordinator of every meeting of the path’s; anyone else is refused and nothing is deleted', async () => {
		const app = srv.app;
		const plan = await plannedAndClosed();
		const followUp = await startNext(plan, plan.meeting.id, 'follow_up');
		const path: Meeting[] = [plan.meeting, followUp.meeting];

		// A second coordinator who takes part in the follow-up only.
		const colleague: Account = await account(app, 'coordinator', 'Gunnel Åkerman');
		app.participation.addParticipant(plan.coordinator.principal, followUp.meeting.id, {
			name: 'Gunnel Åkerman',
			role: 'coordinator',
			organisation: 'Sote-keskus',
			presence: 'room',
			access: 'edit',
			userId: colleague.userId
		});
		const outsider = await account(app, 'coordinator', 'Örjan Sjöström');
		const refused = [
			['the client', await app.principalOf(plan.client.cookie), plan.meeting.id, 'forbidden'],
			['a professional', await app.principalOf(plan.kela.cookie), plan.meeting.id, 'forbidden'],
			['a coordinator of one meeting of it', colleague.principal, followUp.meeting.id, 'forbidden'],
			['a coordinator of no meeting of it', outsider.principal, plan.meeting.id, 'forbidden'],
			['nobody signed in', { kind: 'anonymous' as const }, plan.meeting.id, 'unauthenticated'],
			['a signed-out session', await app.principalOf(cookieFor('not-a-session')), plan.meeting.id, 'unauthenticated']
		] as const;
		for (const [who, principal, meetingId, code] of refused) {
			expect(app.retention.mayDeletePath(principal, meetingId), who).toBe(false);
			expect((await refusalOf(() => app.retention.deletePath(principal, meetingId))).code, who).toBe(code);
		}
		expect(path.map(exists)).toEqual([true, true]);
		expect(app.audit.forMeeting(plan.meeting.id).some((event) => event.action === 'deleted')).toBe(false);

		// The coordinator of both deletes the path from either of its meetings, open or closed.
		expect(app.retention.mayDeletePath(plan.coordinator.principal, followUp.meeting.id)).toBe(true);
		expect(await app.retention.deletePath(plan.coordinator.principal, followUp.meeting.id)).toEqual([followUp.meeting.id, plan.meeting.id]);
		expect(path.map(exists)).toEqual([false, false]);
		for (const meeting of path) {
			expect(app.audit.forMeeting(meeting.id).at(-1)).toMatchObject({
				action: 'deleted',
				actorUserId: plan.coordinator.userId,
				detail: { reason: 'coordinator', path: plan.meeting.id }
			});
		}
		expect((await refusalOf(() => app.retention.deletePath(plan.coordinator.principal, plan.meeting.id))).code).toBe('not_found');
	});
});
