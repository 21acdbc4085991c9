/**
 * Personal invitations and sign-in under attack (issue 3): a link that expired, was revoked or was
 * replaced is refused with a code and a message that says what to do; the token is stored only as a
 * hash; guessing passwords or tokens is throttled. (The join page that shows these refusals is
 * Playwright's: tests/e2e.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { databasePath } from '../../server/config.js';
import { DomainError } from '../../server/errors.js';
import { hashToken } from '../../server/invites.js';
import { account, guest, meetingWithCoordinator, type Account } from '../helpers/people.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { removeDir } from './support.js';

let srv: TestServer;
let meetingId: string;
let coordinator: Account;

beforeAll(async () => {
	srv = await startServer();
	({ meeting: { id: meetingId }, coordinator } = await meetingWithCoordinator(srv.app, 'Verkostotapaaminen: Helmi Äyräväinen'));
});
afterAll(async () => {
	await srv?.close();
	if (srv) removeDir(srv.dataDir);
});

let addresses = 0;
/** Each test redeems from its own address, so that one test's attempts never throttle another's. */
const freshAddress = () => `198.51.100.${++addresses}`;

/** A guest invited to the meeting (not joined yet): the participant and the raw token. */
function invite(name: string) {
	const { participant, invite } = srv.app.participation.addParticipant(coordinator.principal, meetingId, {
		name,
		role: 'employment',
		organisation: 'Työllisyyspalvelut',
		presence: 'remote',
		access: 'edit'
	});
	return { participant, token: invite!.token };
}

/** The DomainError a call fails with (sync or async). */
async function refusalOf(call: () => unknown): Promise<DomainError> {
	try {
		await call();
	} catch (error) {
		if (error instanceof DomainError) return error;
		throw error;
	}
	throw new Error('expected a refusal, the call succeeded');
}

/** Both the preview (opening the link) and joining are refused with the same code, reason and message. */
async function expectRefused(token: string, expected: { code: string; status: number; reason: string; message: RegExp }) {
	for (const attempt of [
		() => srv.app.participation.preview(token, freshAddress()),
		() => srv.app.participation.join(token, { name: 'Joku Muu' }, freshAddress())
	]) {
		const refusal = await refusalOf(attempt);
		expect({ code: refusal.code, status: refusal.status }).toEqual({ code: expected.code, status: expected.status });
		expect(refusal.message).toMatch(expected.message);
		expect(refusal.detail.issues).toEqual([{ path: 'token', message: expected.reason }]);
	}
}

describe('invitation links', () => {
	it('a valid link previews the meeting and joins, also a second time (another device)', async () => {
		const { participant, token } = invite('Ville Räsänen');
		expect(srv.app.participation.preview(token, freshAddress())).toMatchObject({
			meeting: { id: meetingId, title: 'Verkostotapaaminen: Helmi Äyräväinen' },
			participant: { id: participant.id, name: 'Ville Räsänen' },
			consentRequired: false
		});
		const first = await srv.app.participation.join(token, { name: 'Ville Räsänen' }, freshAddress());
		const second = await srv.app.participation.join(token, { name: 'Ville R.' }, freshAddress());
		expect(second.sessionId).not.toBe(first.sessionId);
		for (const { sessionId } of [first, second]) {
			expect(await srv.app.principalOf(`verkosto_session=${sessionId}`)).toMatchObject({ kind: 'guest', participantId: participant.id, meetingId });
		}
	});

	it('an expired link is refused: forbidden, "expired", ask the coordinator for a new one', async () => {
		const { participant, token } = invite('Eeva Kööpikkä');
		srv.app.db.prepare('UPDATE invites SET expires_at = ? WHERE participant_id = ?').run(new Date(Date.now() - 1000).toISOString(), participant.id);
		await expectRefused(token, {
			code: 'forbidden',
			status: 403,
			reason: 'expired',
			message: /^This invitation link has expired\. Ask the coordinator for a new one\.$/
		});
		// A new link from the coordinator works.
		const renewed = srv.app.participation.reissueInvite(coordinator.principal, meetingId, participant.id);
		await expect(srv.app.participation.join(renewed.token, { name: 'Eeva Kööpikkä' }, freshAddress())).resolves.toMatchObject({ meetingId });
	});

	it('a link whose participant was revoked is refused: forbidden, "revoked", no longer in use', async () => {
		const { participant, token } = invite('Olli Pääkkönen');
		await srv.app.participation.revoke(coordinator.principal, meetingId, participant.id);
		await expectRefused(token, {
			code: 'forbidden',
			status: 403,
			reason: 'revoked',
			message: /^This invitation link is no longer in use\. Ask the coordinator for a new one\.$/
		});
		// And no new link can be issued for a removed participant.
		const reissue = await refusalOf(() => srv.app.participation.reissueInvite(coordinator.principal, meetingId, participant.id));
		expect({ code: reissue.code, message: reissue.message }).toEqual({
			code: 'conflict',
			message: 'This participant was removed; add them again instead.'
		});
	});

	it('a new link keeps the old one working; both are listed; a revoked link is refused, the other still works', async () => {
		const { token: old, participant } = invite('Siiri Öörni');
		const renewed = srv.app.participation.reissueInvite(coordinator.principal, meetingId, participant.id);
		expect(renewed.token).not.toBe(old);
		const links = srv.app.participation.validInvites(coordinator.principal, meetingId, participant.id);
		expect(links.map((link) => link.id)).toEqual([expect.any(String), renewed.id]);
		expect(JSON.stringify(links)).not.toContain(old);
		await expect(srv.app.participation.join(old, { name: 'Siiri Öörni' }, freshAddress())).resolves.toMatchObject({ meetingId });

		srv.app.participation.revokeInvite(coordinator.principal, meetingId, participant.id, links[0]!.id);
		await expectRefused(old, {
			code: 'forbidden',
			status: 403,
			reason: 'revoked',
			message: /no longer in use\. Ask the coordinator for a new one/
		});
		expect(srv.app.participation.validInvites(coordinator.principal, meetingId, participant.id).map((link) => link.id)).toEqual([renewed.id]);
		const joined = await srv.app.participation.join(renewed.token, { name: 'Siiri Öörni' }, freshAddress());
		expect(joined.meetingId).toBe(meetingId);
		// A link that is not (or no longer) valid: a clear refusal, nothing changes.
		const again = await refusalOf(() => srv.app.participation.revokeInvite(coordinator.principal, meetingId, participant.id, links[0]!.id));
		expect(again.code).toBe('not_found');
	});

	it('opening a link is in the meeting’s trail, once for each time the page is shown; a refused one only as refused', async () => {
		const { participant, token } = invite('Ebba Lindqvist');
		const trail = () => srv.app.audit.forMeeting(meetingId).filter((event) => event.action === 'invite_opened' || event.action === 'invite_refused');
		const before = trail().length;
		const shown = srv.app.participation.open(token, freshAddress());
		expect(shown.participant.name).toBe('Ebba Lindqvist');
		const opened = trail().slice(before);
		expect(opened).toEqual([
			expect.objectContaining({ action: 'invite_opened', actorUserId: null, actorParticipantId: null, detail: { participantId: participant.id } })
		]);
		// Joining checks the link again without counting it as opened twice.
		await srv.app.participation.join(token, { name: 'Ebba Lindqvist' }, freshAddress());
		expect(trail().slice(before)).toHaveLength(1);
		// A revoked link: refused and recorded as refused, not as opened.
		await srv.app.participation.revoke(coordinator.principal, meetingId, participant.id);
		const refusal = await refusalOf(() => srv.app.participation.open(token, freshAddress()));
		expect(refusal.code).toBe('forbidden');
		expect(trail().slice(before).map((event) => event.action)).toEqual(['invite_opened', 'invite_refused']);
	});

	describe('made in the same millisecond', () => {
		// Timestamps tie often on a fast machine: the lists fall back to the order things were made,
		// never to the order of their random ids.
		afterEach(() => {
			vi.useRealTimers();
		});

		it('links and participants are listed in the order they were made', () => {
			vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
			const { participant } = invite('Ilona Väänänen');
			const issued = Array.from({ length: 6 }, () => srv.app.participation.reissueInvite(coordinator.principal, meetingId, participant.id).id);
			const listed = srv.app.participation.validInvites(coordinator.principal, meetingId, participant.id).map((link) => link.id);
			expect(listed.slice(1)).toEqual(issued);

			const names = ['Åke Sjöberg', 'Märta Öhman', 'Päivi Åkerlund', 'Örjan Wäänänen', 'Ülle Ärrälä'];
			for (const name of names) invite(name);
			const participants = srv.app.participation.participants(coordinator.principal, meetingId).map((p) => p.name);
			expect(participants.slice(-names.length)).toEqual(names);
		});
	});

	it('a link used to join, then revoked, cannot be used again; the session it gave has ended', async () => {
		const joined = await guest(srv.app, meetingId, coordinator, { role: 'peer_supporter', name: 'Tuomas Ylämäki' });
		expect(await srv.app.principalOf(joined.cookie)).toMatchObject({ kind: 'guest' });
		await srv.app.participation.revoke(coordinator.principal, meetingId, joined.participant.id);
		await expectRefused(joined.token, {
			code: 'forbidden',
			status: 403,
			reason: 'revoked',
			message: /no longer in use/
		});
		expect(await srv.app.principalOf(joined.cookie)).toEqual({ kind: 'anonymous' });
	});

	it('an unknown or malformed link is refused: not found, check the whole link was copied', async () => {
		const { token } = invite('Jaana Hyvärinen');
		const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
		for (const bad of [flipped, 'lyhyt', `${token}!`, '']) {
			await expectRefused(bad, {
				code: 'not_found',
				status: 404,
				reason: 'unknown',
				message: /^This invitation link is not valid\. Check that you copied the whole link\.$/
			});
		}
	});

	it('stores the token only as its SHA-256: the raw token is nowhere in the database', async () => {
		const { participant, token } = invite('Kalle Åhman');
		await srv.app.participation.join(token, { name: 'Kalle Åhman' }, freshAddress());
		const rows = srv.app.db.prepare<[string], Record<string, unknown>>('SELECT * FROM invites WHERE participant_id = ?').all(participant.id);
		expect(rows).toHaveLength(1);
		expect(rows[0]!.token_hash).toBe(hashToken(token));
		expect(JSON.stringify(rows)).not.toContain(token);
		// Not in any other table either (audit details included): the database's bytes, WAL too.
		srv.app.db.pragma('wal_checkpoint(PASSIVE)');
		const file = databasePath(srv.app.config);
		const parts = [file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => ({ name: path.basename(f), bytes: fs.readFileSync(f) }));
		// The search works: the participant's name, stored in the same transaction, is found.
		expect(parts.some(({ bytes }) => bytes.includes(Buffer.from('Kalle Åhman')))).toBe(true);
		for (const { name, bytes } of parts) expect(bytes.includes(Buffer.from(token)), name).toBe(false);
	});
});

describe('throttling', () => {
	it('the 6th sign-in attempt for one account within 15 minutes is refused, even with the right password', async () => {
		const target = await account(srv.app, 'professional', 'Raimo Mönkkönen');
		for (let attempt = 1; attempt <= 5; attempt++) {
			const wrong = await refusalOf(() => srv.app.accounts.signIn(target.email, `arvaus-${attempt}-ÅÄÖ`, freshAddress()));
			expect({ code: wrong.code, message: wrong.message }).toEqual({
				code: 'invalid',
				message: 'The email or password is wrong, or the account is disabled.'
			});
		}
		// From yet another address, in upper case: it is the account that is throttled.
		const throttled = await refusalOf(() => srv.app.accounts.signIn(target.email.toUpperCase(), 'salasana-Åäö-12345', freshAddress()));
		expect(throttled.code).toBe('rate_limited');
		expect(throttled.status).toBe(429);
		expect(throttled.detail.retryAfterSeconds).toBeGreaterThan(14 * 60);
		expect(throttled.detail.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
		expect(throttled.message).toBe('Too many sign-in attempts. Try again in 15 minutes.');
		// Another account is not affected.
		const other = await account(srv.app, 'professional', 'Maija Kärnä');
		await expect(srv.app.accounts.signIn(other.email, 'salasana-Åäö-12345', freshAddress())).resolves.toMatchObject({
			user: { id: other.userId }
		});
	});

	it('more than 20 sign-in attempts from one address within 15 minutes are refused, whichever account', async () => {
		const address = freshAddress();
		for (let attempt = 1; attempt <= 20; attempt++) {
			const wrong = await refusalOf(() => srv.app.accounts.signIn(`arvattu.${attempt}@example.fi`, 'väärä-salasana-123', address));
			expect(wrong.code).toBe('invalid');
		}
		const someone = await account(srv.app, 'professional', 'Nelli Öst');
		const throttled = await refusalOf(() => srv.app.accounts.signIn(someone.email, 'salasana-Åäö-12345', address));
		expect(throttled.code).toBe('rate_limited');
		expect(throttled.detail.retryAfterSeconds).toBeGreaterThan(0);
		expect(throttled.message).toMatch(/^Too many sign-in attempts\. Try again in \d+ minutes\.$/);
		// The same account from another address still signs in.
		await expect(srv.app.accounts.signIn(someone.email, 'salasana-Åäö-12345', freshAddress())).resolves.toMatchObject({
			user: { id: someone.userId }
		});
	});

	it('more than 30 invitation redemptions from one address within 15 minutes are refused, valid link or not', async () => {
		const address = freshAddress();
		for (let attempt = 1; attempt <= 30; attempt++) {
			const guess = `arvaus${String(attempt).padStart(2, '0')}${'x'.repeat(30)}`;
			expect((await refusalOf(() => srv.app.participation.preview(guess, address))).code).toBe('not_found');
		}
		const { token } = invite('Pentti Rämö');
		for (const attempt of [
			() => srv.app.participation.preview(token, address),
			() => srv.app.participation.join(token, { name: 'Pentti Rämö' }, address)
		]) {
			const throttled = await refusalOf(attempt);
			expect(throttled.code).toBe('rate_limited');
			expect(throttled.status).toBe(429);
			expect(throttled.detail.retryAfterSeconds).toBeGreaterThan(14 * 60);
			expect(throttled.message).toBe('Too many attempts. Try again in 15 minutes.');
		}
		// From another address the same link works.
		await expect(srv.app.participation.join(token, { name: 'Pentti Rämö' }, freshAddress())).resolves.toMatchObject({ meetingId });
	});

	it('more than 10 redemptions of one link within 15 minutes are refused, from any address', async () => {
		const { token } = invite('Linnea Sjöblom');
		for (let attempt = 1; attempt <= 10; attempt++) srv.app.participation.preview(token, freshAddress());
		const throttled = await refusalOf(() => srv.app.participation.preview(token, freshAddress()));
		expect(throttled.code).toBe('rate_limited');
		expect(throttled.detail.retryAfterSeconds).toBeGreaterThan(0);
	});
});
