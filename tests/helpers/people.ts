import type { App } from '../../server/app.js';
import { sessionCookieName } from '../../server/auth.js';
import type { Meeting } from '../../server/meetings.js';
import type { Participant } from '../../server/participants.js';
import type { Principal } from '../../server/policy.js';
import type { Access, AccountRole, ParticipantRole, Presence } from '../../src/lib/protocol/participants.js';

/** Invented people for tests: Finnish and Swedish names, never real personal data. */
export const names = {
	coordinator: 'Aino Mäkelä',
	professional: 'Björn Ålander',
	client: 'Sanna Häkkinen',
	nurse: 'Päivi Öhman',
	kela: 'Åsa Lindström'
};

export const cookieFor = (sessionId: string) => `${sessionCookieName}=${sessionId}`;

let counter = 0;

export interface Account {
	userId: string;
	email: string;
	sessionId: string;
	cookie: string;
	principal: Principal;
}

/** Creates an account and signs it in (through the same services the pages use). */
export async function account(app: App, role: AccountRole, name = role === 'coordinator' ? names.coordinator : names.professional): Promise<Account> {
	const email = `${role}.${++counter}.${Date.now()}@example.fi`;
	const password = 'salasana-Åäö-12345';
	const user = await app.users.create({ email, name, role, password });
	const { sessionId } = await app.accounts.signIn(email, password, `127.0.0.${counter % 250}`);
	return {
		userId: user.id,
		email,
		sessionId,
		cookie: cookieFor(sessionId),
		principal: { kind: 'account', userId: user.id, sessionId, name, email, role }
	};
}

/** A meeting created by a (new) coordinator account, who is its first participant. */
export async function meetingWithCoordinator(app: App, title = 'Verkostotapaaminen – Sanna H.'): Promise<{ meeting: Meeting; coordinator: Account }> {
	const coordinator = await account(app, 'coordinator');
	const meeting = app.participation.create(coordinator.principal, { title, scheduledAt: '', place: 'Tampere', remoteLink: '', language: 'fi' });
	return { meeting, coordinator };
}

export interface Guest {
	participant: Participant;
	token: string;
	sessionId: string;
	cookie: string;
}

/** Invites a guest participant and joins with the invitation, as a phone in the room would. */
export async function guest(
	app: App,
	meetingId: string,
	by: Account,
	options: { role?: ParticipantRole; access?: Access; presence?: Presence; name?: string; organisation?: string } = {}
): Promise<Guest> {
	const role = options.role ?? 'client';
	const name = options.name ?? (role === 'client' ? names.client : names.kela);
	const { participant, invite } = app.participation.addParticipant(by.principal, meetingId, {
		name,
		role,
		organisation: options.organisation ?? (role === 'client' ? '' : 'Kela'),
		presence: options.presence ?? 'remote',
		access: options.access ?? 'edit'
	});
	const token = invite!.token;
	const { sessionId } = await app.participation.join(
		token,
		{ name, consent: role === 'client' ? ['health', 'social', 'employment', 'kela'] : null },
		'127.0.0.1'
	);
	return { participant: app.participants.get(participant.id)!, token, sessionId, cookie: cookieFor(sessionId) };
}
