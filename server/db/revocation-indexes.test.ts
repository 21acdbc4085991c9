import { afterEach, describe, expect, it } from 'vitest';
import { MeetingRepository } from '../meetings.js';
import { ParticipantRepository, revokedSinceSql } from '../participants.js';
import { disabledSinceSql, UserRepository } from '../users.js';
import { openDatabase, type Db } from './database.js';

let db: Db | undefined;

afterEach(() => {
	db?.close();
	db = undefined;
});

/** How SQLite would answer `sql`: the detail lines of EXPLAIN QUERY PLAN. */
const plan = (db: Db, sql: string, ...params: unknown[]) =>
	db
		.prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
		.all(...params)
		.map((row) => row.detail);

describe('the revocation sweep (twice a second, on the event loop)', () => {
	it('finds the participants revoked and the accounts disabled since a time, through partial indexes (migration 8)', async () => {
		db = openDatabase(':memory:', { syncMode: 'normal' });
		const meetingId = new MeetingRepository(db).create({ title: 'Verkostopalaveri: Märta Åkerlund' }).id;
		const participants = new ParticipantRepository(db);
		const person = (name: string) =>
			participants.create({ meetingId, name, role: 'peer_supporter', organisation: '', presence: 'room', access: 'edit' });
		const [kept, revokedLongAgo, revokedNow] = [person('Eeva Ylönen'), person('Sören Häkkinen'), person('Jöns Åberg')];
		db.prepare('UPDATE participants SET revoked_at = ? WHERE id = ?').run('2026-11-22T08:00:00.000Z', revokedLongAgo.id);
		expect(participants.revoke(revokedNow.id)).toBe(true);

		const users = new UserRepository(db);
		const account = await users.create({ email: 'aila.nieminen@example.fi', name: 'Aila Nieminen', role: 'professional', password: 'pitkä salasana 2026' });
		await users.create({ email: 'bjorn.ostman@example.fi', name: 'Björn Östman', role: 'professional', password: 'långt lösenord 2026' });
		expect(users.disable(account.id)).toBe(true);

		const since = new Date(Date.now() - 10_000).toISOString();
		expect(participants.revokedSince(since)).toEqual([revokedNow.id]);
		expect(participants.revokedSince('2026-11-22T07:00:00.000Z').sort()).toEqual([revokedLongAgo.id, revokedNow.id].sort());
		expect(users.disabledSince(since)).toEqual([account.id]);
		expect(participants.get(kept.id)?.revoked).toBe(false);

		// Neither question reads its whole table: a region's year of meetings is tens of thousands of rows.
		expect(plan(db, revokedSinceSql, since)).toEqual([
			expect.stringContaining('USING INDEX participants_by_revoked_at')
		]);
		expect(plan(db, disabledSinceSql, since)).toEqual([
			expect.stringContaining('USING INDEX users_by_disabled_at')
		]);
	});
});
