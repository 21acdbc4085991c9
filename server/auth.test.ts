/** Sessions at rest: the database keeps only the hash of a session id, so a copy of it signs nobody in. */
import { afterEach, describe, expect, it } from 'vitest';
import { createAuth, storedSessionId } from './auth.js';
import { openDatabase, type Db } from './db/database.js';
import { UserRepository } from './users.js';

let db: Db;
afterEach(() => db?.close());

describe('sessions at rest', () => {
	it('stores the SHA-256 of the session id, finds the session by its id, and not by the stored value', async () => {
		db = openDatabase(':memory:', { syncMode: 'normal' });
		const user = await new UserRepository(db).create({
			email: 'ulla.nasman@example.fi',
			name: 'Ulla Näsman',
			role: 'coordinator',
			password: 'Verkosto-testi-Åäö-2024'
		});
		const auth = createAuth(db);
		const session = await auth.createSession(user.id, {});

		const rows = db.prepare<[], { id: string }>('SELECT id FROM sessions').all();
		expect(rows).toEqual([{ id: storedSessionId(session.id) }]);
		expect(rows[0]!.id).not.toContain(session.id);

		const valid = await auth.validateSession(session.id);
		expect(valid.user?.id).toBe(user.id);
		expect(valid.session?.id).toBe(session.id);
		expect((await auth.validateSession(rows[0]!.id)).session).toBeNull();

		await auth.invalidateSession(session.id);
		expect(db.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 0 });
	});
});
