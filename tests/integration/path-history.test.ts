/**
 * A service path lists only the meetings the reader can open (issue #20 item 8): a guest of the
 * first meeting, or a professional left out of the follow-up, never learns the other meetings'
 * titles, which often name the client or the matter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { account, type Account } from '../helpers/people.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { closeAsCoordinator, planMeeting, type PlanMeeting } from './plans.js';
import { removeDir } from './support.js';

const secretTitle = 'Jatkotapaaminen – Öbergin velkajärjestely';

let srv: TestServer;
let plan: PlanMeeting;
let professional: Account;
let followUpId: string;

beforeAll(async () => {
	srv = await startServer();
	plan = await planMeeting(srv, { title: 'Verkostotapaaminen – Åsa' });
	professional = await account(srv.app, 'professional', 'Björn Sjöström');
	srv.app.participation.addParticipant(plan.coordinator.principal, plan.meeting.id, {
		name: 'Björn Sjöström',
		role: 'social_worker',
		organisation: 'Sote-keskus',
		presence: 'room',
		access: 'edit',
		userId: professional.userId
	});
	await closeAsCoordinator(srv, plan);
	plan.provider.destroy();
	const access = srv.app.participation.access(plan.coordinator.principal, plan.meeting.id);
	const next = await srv.app.closing.startNext(access, plan.coordinator.principal, { kind: 'follow_up', title: secretTitle });
	followUpId = next.meeting.id;
	// The professional does not take part in the follow-up.
	const copy = srv.app.participants.forUser(followUpId, professional.userId);
	await srv.app.participation.revoke(plan.coordinator.principal, followUpId, copy!.id);
});
afterAll(async () => {
	await srv?.close();
	if (srv) removeDir(srv.dataDir);
});

const titles = (principal: Parameters<TestServer['app']['closing']['historyFor']>[0], meetingId: string) =>
	srv.app.closing.historyFor(principal, meetingId).map((entry) => entry.meeting.title);

describe('the history of a service path', () => {
	it('shows the coordinator of both meetings the whole path', () => {
		expect(titles(plan.coordinator.principal, plan.meeting.id)).toEqual(['Verkostotapaaminen – Åsa', secretTitle]);
		expect(titles(plan.coordinator.principal, followUpId)).toEqual(['Verkostotapaaminen – Åsa', secretTitle]);
	});

	it("never shows a guest of the first meeting the follow-up's title", async () => {
		const kela = await srv.app.principalOf(plan.kela.cookie);
		expect(kela.kind).toBe('guest');
		expect(titles(kela, plan.meeting.id)).toEqual(['Verkostotapaaminen – Åsa']);
		expect(JSON.stringify(srv.app.closing.historyFor(kela, plan.meeting.id))).not.toContain('Öberg');
	});

	it('never shows a professional removed from the follow-up its title', () => {
		expect(titles(professional.principal, plan.meeting.id)).toEqual(['Verkostotapaaminen – Åsa']);
	});
});
