/**
 * Verkosto's meetings, and the people in them, exist before anyone connects. This creates them in a
 * fresh DATA_DIR with the checkout's own code, then closes the database before the server opens it.
 *
 * Two shapes of the code are known:
 * - with access control (server/participation.ts): one coordinator account creates the K meetings and
 *   invites M guests to each (one client, then professionals), who join by their invitations; each guest's
 *   session cookie goes with its websocket upgrade, as a phone's browser would send it;
 * - the realtime core alone (no accounts): meetings from MeetingRepository, connections without a session.
 * When the services change, this file is the one to adapt.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface VerkostoSetup {
	rooms: string[];
	/** Per meeting, per client: the Cookie header for the upgrade (absent without access control). */
	cookies?: string[][];
	accessControl: boolean;
}

export interface SetupOptions {
	root: string;
	dataDir: string;
	meetings: number;
	clients: number;
	syncMode: 'normal' | 'full';
}

const professions = ['nurse', 'social_worker', 'doctor', 'employment', 'kela', 'third_sector', 'peer_supporter', 'other'] as const;

/** A distinct private address per sign-in and join, so that per-address rate limits do not bite. */
const addressFor = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

export async function setUpVerkosto(options: SetupOptions): Promise<VerkostoSetup> {
	const load = <T>(file: string) => import(pathToFileURL(path.join(options.root, file)).href) as Promise<T>;
	if (fs.existsSync(path.join(options.root, 'server/participation.ts'))) return withAccounts(options, load);

	const { databasePath } = await load<{ databasePath(config: { dataDir: string }): string }>('server/config.ts');
	const { openDatabase } = await load<typeof import('../../server/db/database.js')>('server/db/database.ts');
	const { MeetingRepository } = await load<{ MeetingRepository: new (db: unknown) => { create(input: { title: string }): { id: string } } }>(
		'server/meetings.ts'
	);
	const db = openDatabase(databasePath({ dataDir: options.dataDir }), { syncMode: options.syncMode });
	try {
		const meetings = new MeetingRepository(db);
		const rooms: string[] = [];
		db.transaction(() => {
			for (let i = 0; i < options.meetings; i++) rooms.push(meetings.create({ title: `Benchmark meeting ${i + 1}` }).id);
		})();
		return { rooms, accessControl: false };
	} finally {
		db.close();
	}
}

/** The services' shapes this relies on (typed loosely: the checkout may be another commit). */
interface Principal {
	kind: string;
}
interface AppLike {
	users: { create(input: { email: string; name: string; role: string; password: string }): Promise<{ id: string }> };
	accounts: { signIn(email: string, password: string, address: string): Promise<{ sessionId: string }> };
	participation: {
		create(principal: Principal, input: Record<string, unknown>): { id: string };
		addParticipant(principal: Principal, meetingId: string, input: Record<string, unknown>): { invite: { token: string } | null };
		join(token: string, input: { name: string; consent?: string[] | null }, address: string): Promise<{ sessionId: string }>;
	};
	close(): Promise<void>;
}

async function withAccounts(options: SetupOptions, load: <T>(file: string) => Promise<T>): Promise<VerkostoSetup> {
	const { configFrom } = await load<{ configFrom(env: NodeJS.ProcessEnv, overrides: Record<string, unknown>): unknown }>('server/config.ts');
	const { App } = await load<{ App: new (config: unknown) => AppLike }>('server/app.ts');
	const { sessionCookieName } = await load<{ sessionCookieName: string }>('server/auth.ts');
	const app = new App(configFrom({}, { dataDir: options.dataDir, host: '127.0.0.1', port: 0, logLevel: 'silent', syncMode: options.syncMode }));
	try {
		const email = `coordinator.${Date.now()}@example.fi`;
		const password = 'benchmark-Åäö-12345';
		const name = 'Aino Mäkelä';
		const user = await app.users.create({ email, name, role: 'coordinator', password });
		const { sessionId } = await app.accounts.signIn(email, password, addressFor(0));
		const principal = { kind: 'account', userId: user.id, sessionId, name, email, role: 'coordinator' };
		const rooms: string[] = [];
		const cookies: string[][] = [];
		let joins = 0;
		for (let i = 0; i < options.meetings; i++) {
			const meeting = app.participation.create(principal, {
				title: `Benchmark meeting ${i + 1}`,
				scheduledAt: '',
				place: '',
				remoteLink: '',
				language: 'fi'
			});
			rooms.push(meeting.id);
			const meetingCookies: string[] = [];
			for (let j = 0; j < options.clients; j++) {
				const role = j === 0 ? 'client' : (professions[(j - 1) % professions.length] ?? 'other');
				const guestName = j === 0 ? 'Sanna Häkkinen' : `Ammattilainen ${j}`;
				const { invite } = app.participation.addParticipant(principal, meeting.id, {
					name: guestName,
					role,
					organisation: role === 'client' ? '' : 'Organisaatio',
					presence: 'remote',
					access: 'edit'
				});
				if (!invite) throw new Error('a guest participant got no invitation');
				const joined = await app.participation.join(
					invite.token,
					{ name: guestName, consent: role === 'client' ? ['health', 'social', 'employment', 'kela'] : null },
					addressFor(++joins)
				);
				meetingCookies.push(`${sessionCookieName}=${joined.sessionId}`);
			}
			cookies.push(meetingCookies);
		}
		return { rooms, cookies, accessControl: true };
	} finally {
		await app.close();
	}
}
