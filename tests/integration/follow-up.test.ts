/**
 * The responsible worker and the follow-up (issue 5): the server's rules, each refusal with the
 * message that says what to fix; the decision reaching every socket in the meeting; and the plan as
 * data (`GET …/plan` calls `app.plan`) after edits made by a plain y-websocket client in Node.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
	addAction,
	addGoal,
	addOpenQuestion,
	addService,
	clientVoice,
	ensurePerspective,
	setGoalLevel
} from '../../src/lib/meeting/index.js';
import type { RoomState } from '../../src/lib/protocol/agenda.js';
import { DomainError } from '../../server/errors.js';
import { addMonths, helsinkiToday, type ResponsibleInput } from '../../server/follow-up.js';
import type { MeetingAccess } from '../../server/policy.js';
import { account, guest, meetingWithCoordinator, names, type Account } from '../helpers/people.js';
import { admit, Clients, connectSocket, handled, removeDir, type RealtimeSocket, serverForFile } from './support.js';

const shared = serverForFile({ unloadDelayMs: 20 });
const { clients, sockets } = shared;

/** `date` plus `days` calendar days, `YYYY-MM-DD`. */
function addDays(date: string, days: number): string {
	const at = new Date(`${date}T00:00:00Z`);
	at.setUTCDate(at.getUTCDate() + days);
	return at.toISOString().slice(0, 10);
}

/**
 * A meeting with its coordinator, the client (a guest), a nurse (a professional account), a `view`
 * participant from Kela and a revoked participant; `scheduledAt` is Helsinki wall-clock time.
 */
async function meetingWithTeam(scheduledAt = '') {
	const coordinator = await account(shared.srv.app, 'coordinator');
	const meeting = shared.srv.app.participation.create(coordinator.principal, {
		title: 'Verkostotapaaminen: Marjatta Pöllänen',
		scheduledAt,
		place: 'Jyväskylä',
		remoteLink: '',
		language: 'fi'
	});
	const client = await guest(shared.srv.app, meeting.id, coordinator, { role: 'client', name: 'Marjatta Pöllänen' });
	const nurseAccount = await account(shared.srv.app, 'professional', names.nurse);
	const nurse = shared.srv.app.participation.addParticipant(coordinator.principal, meeting.id, {
		name: names.nurse,
		role: 'nurse',
		organisation: 'Terveysasema',
		presence: 'room',
		access: 'edit',
		userId: nurseAccount.userId
	}).participant;
	const viewer = await guest(shared.srv.app, meeting.id, coordinator, { role: 'kela', access: 'view', name: names.kela });
	const revoked = await guest(shared.srv.app, meeting.id, coordinator, { role: 'social_worker', name: 'Ritva Lähteenmäki' });
	await shared.srv.app.participation.revoke(coordinator.principal, meeting.id, revoked.participant.id);
	const accessOf = async (cookie: string): Promise<MeetingAccess> =>
		shared.srv.app.participation.access(await shared.srv.app.principalOf(cookie), meeting.id);
	return { meeting, coordinator, client, nurse, nurseAccount, viewer, revoked, accessOf };
}

type Team = Awaited<ReturnType<typeof meetingWithTeam>>;

function validInput(team: Team, overrides: Partial<ResponsibleInput> = {}): ResponsibleInput {
	return {
		participantId: team.nurse.id,
		followUpDate: addDays(helsinkiToday(), 30),
		followUpMode: 'visit',
		contact: '040 765 4321, paivi.ohman@example.fi',
		...overrides
	};
}

/** The refusal of `followUp.set`, as code, status, message and the field it names. */
function refusal(access: MeetingAccess, input: ResponsibleInput) {
	try {
		shared.srv.app.followUp.set(access, input);
	} catch (error) {
		if (!(error instanceof DomainError)) throw error;
		return { code: error.code, status: error.status, message: error.message, field: error.detail.issues?.[0]?.path ?? null };
	}
	throw new Error(`accepted: ${JSON.stringify(input)}`);
}

const unprocessable = (field: string, message: string) => ({ code: 'unprocessable', status: 422, message, field });

describe('the responsible worker: refusals say what to fix', () => {
	let team: Team;
	let coordinatorAccess: MeetingAccess;
	let other: Awaited<ReturnType<typeof meetingWithCoordinator>>;

	beforeAll(async () => {
		team = await meetingWithTeam();
		coordinatorAccess = await team.accessOf(team.coordinator.cookie);
		other = await meetingWithCoordinator(shared.srv.app, 'Nätverksmöte: Gunnel Åkerman');
	});

	const notAParticipant = 'The responsible worker must be a participant of this meeting.';

	it('the client: 422, choose a professional', () => {
		expect(refusal(coordinatorAccess, validInput(team, { participantId: team.client.participant.id }))).toEqual(
			unprocessable('participantId', 'The client cannot be the responsible worker; choose a professional.')
		);
	});

	it('a participant of another meeting: 422, must be a participant of this meeting', async () => {
		const outsider = await guest(shared.srv.app, other.meeting.id, other.coordinator, { role: 'nurse', name: 'Göran Öhman' });
		expect(refusal(coordinatorAccess, validInput(team, { participantId: outsider.participant.id }))).toEqual(
			unprocessable('participantId', notAParticipant)
		);
		const otherCoordinator = shared.srv.app.participants.forUser(other.meeting.id, other.coordinator.userId)!;
		expect(refusal(coordinatorAccess, validInput(team, { participantId: otherCoordinator.id }))).toEqual(
			unprocessable('participantId', notAParticipant)
		);
	});

	it('an id that is nobody’s: 422, must be a participant of this meeting', () => {
		for (const participantId of ['eiOlemassaOlevaId123', '', "' OR 1=1 --"]) {
			expect(refusal(coordinatorAccess, validInput(team, { participantId }))).toEqual(unprocessable('participantId', notAParticipant));
		}
	});

	it('a revoked participant: 422, must be a participant of this meeting', () => {
		expect(refusal(coordinatorAccess, validInput(team, { participantId: team.revoked.participant.id }))).toEqual(
			unprocessable('participantId', notAParticipant)
		);
	});

	it('a date in the past: 422, choose today or a later day', () => {
		for (const followUpDate of [addDays(helsinkiToday(), -1), '2020-01-15']) {
			expect(refusal(coordinatorAccess, validInput(team, { followUpDate }))).toEqual(
				unprocessable('followUpDate', 'The follow-up date is in the past; choose today or a later day.')
			);
		}
	});

	it('a date more than three months after the meeting: 422, with the latest allowed day', () => {
		const latest = addMonths(helsinkiToday(), 3);
		expect(refusal(coordinatorAccess, validInput(team, { followUpDate: addDays(latest, 1) }))).toEqual(
			unprocessable('followUpDate', `The follow-up must be at the latest three months after the meeting, by ${latest}.`)
		);
		expect(refusal(coordinatorAccess, validInput(team, { followUpDate: addDays(latest, 400) }))).toMatchObject({
			field: 'followUpDate'
		});
	});

	it('a malformed date: 422, give it as YYYY-MM-DD', () => {
		for (const followUpDate of ['15.3.2027', '2027-02-30', '2027-13-01', '2027-3-5', '', 'huomenna']) {
			expect(refusal(coordinatorAccess, validInput(team, { followUpDate }))).toEqual(
				unprocessable('followUpDate', 'Give the follow-up date as YYYY-MM-DD.')
			);
		}
	});

	it('a mode other than visit or call: 422, choose one', () => {
		for (const followUpMode of ['email', 'Visit', '']) {
			expect(refusal(coordinatorAccess, validInput(team, { followUpMode }))).toEqual(
				unprocessable('followUpMode', 'Choose whether the follow-up is a visit or a call.')
			);
		}
	});

	it('no contact details (or too long): 422, give a phone or email', () => {
		for (const contact of ['', '   ', 'x'.repeat(201)]) {
			expect(refusal(coordinatorAccess, validInput(team, { contact }))).toEqual(
				unprocessable('contact', "Give the responsible worker's contact details (phone or email), at most 200 characters.")
			);
		}
	});

	it('anyone but the meeting’s coordinator: 403, even with a valid decision', async () => {
		for (const cookie of [team.client.cookie, team.nurseAccount.cookie, team.viewer.cookie]) {
			expect(refusal(await team.accessOf(cookie), validInput(team))).toEqual({
				code: 'forbidden',
				status: 403,
				message: "Only the meeting's coordinator names the responsible worker.",
				field: null
			});
		}
		// The coordinator of another meeting gets no access to this one at all.
		await expect(team.accessOf(other.coordinator.cookie)).rejects.toMatchObject({ code: 'forbidden', status: 403 });
	});

	it('nothing was stored by any refusal', () => {
		expect(shared.srv.app.followUp.get(team.meeting.id)).toBeNull();
		expect(shared.srv.app.decisions(team.meeting.id).responsible).toBeNull();
	});
});

describe('the responsible worker: a valid decision', () => {
	it('is stored, is in the decisions and the plan, and reaches every socket in the meeting as room:state', async () => {
		const team = await meetingWithTeam();
		const watchers = await Promise.all(
			[team.coordinator.cookie, team.client.cookie, team.viewer.cookie].map(async (cookie) => {
				const socket = await connectSocket(shared.srv.url, cookie);
				sockets.push(socket);
				const states: RoomState[] = [];
				socket.on('room:state', (state) => states.push(state));
				expect(await socket.emitWithAck('meeting:join', { meetingId: team.meeting.id })).toMatchObject({ ok: true, state: { responsible: null } });
				return states;
			})
		);

		const input = validInput(team, { followUpMode: 'call', contact: '  050 111 2222  ' });
		const decided = shared.srv.app.followUp.set(await team.accessOf(team.coordinator.cookie), input);
		const expected = {
			participantId: team.nurse.id,
			followUpDate: input.followUpDate,
			followUpMode: 'call',
			contact: '050 111 2222',
			decidedAt: expect.any(String)
		};
		expect(decided).toEqual(expected);
		expect(shared.srv.app.followUp.get(team.meeting.id)).toEqual(decided);
		expect(shared.srv.app.decisions(team.meeting.id).responsible).toEqual(decided);
		for (const states of watchers) {
			await expect.poll(() => states.at(-1)?.responsible ?? null).toEqual(decided);
		}
		expect((await shared.srv.app.plan(team.meeting.id)).responsibleWorker).toEqual({
			participantId: team.nurse.id,
			name: names.nurse,
			role: 'nurse',
			organisation: 'Terveysasema',
			contact: '050 111 2222',
			followUpDate: input.followUpDate,
			followUpMode: 'call'
		});
	});

	it('today and exactly three months after the meeting day (Helsinki) are both accepted', async () => {
		// Scheduled at 23:30 Helsinki time: in UTC that is still the day before, or already the next in summer time…
		const meetingDay = addDays(helsinkiToday(), 20);
		const team = await meetingWithTeam(`${meetingDay}T23:30`);
		const access = await team.accessOf(team.coordinator.cookie);
		const latest = addMonths(meetingDay, 3);
		expect(shared.srv.app.followUp.set(access, validInput(team, { followUpDate: helsinkiToday() })).followUpDate).toBe(helsinkiToday());
		expect(shared.srv.app.followUp.set(access, validInput(team, { followUpDate: latest })).followUpDate).toBe(latest);
		// …but it is the Helsinki day that counts.
		expect(refusal(access, validInput(team, { followUpDate: addDays(latest, 1) }))).toEqual(
			unprocessable('followUpDate', `The follow-up must be at the latest three months after the meeting, by ${latest}.`)
		);
	});
});

describe('the plan as data', () => {
	it('returns the edits of a raw y-websocket client in Node, while the document is loaded and after it unloaded', async () => {
		const team = await meetingWithTeam();
		const writer = await admit(clients, team.meeting.id, team.nurseAccount.cookie);
		if (!writer.synced) throw new Error(`the nurse was refused: ${writer.code}`);
		const doc = writer.doc;

		clientVoice(doc).insert(0, 'Haluan päästä kuntouttavaan työtoimintaan ja myöhemmin töihin kirjastoon.');
		const health = addService(doc, { name: 'Psykiatrinen sairaanhoitaja', sector: 'health', provider: 'Terveysasema', status: 'current', tie: 'strong' });
		const work = addService(doc, { name: 'Kuntouttava työtoiminta', sector: 'social', status: 'planned', tie: 'tenuous' });
		// Inserted first: the order, not insertion, decides.
		const kela = addService(doc, { name: 'Kelan ammatillinen kuntoutus', sector: 'kela', status: 'suggested' }, 0);
		const goal = addGoal(doc, { text: 'Jaksan käydä työtoiminnassa kolmena päivänä viikossa.', area: 'work' });
		setGoalLevel(doc, goal, '0', 'Kolme päivää viikossa');
		setGoalLevel(doc, goal, '2', 'Viisi päivää viikossa');
		const second = addAction(doc, { text: 'Haetaan työtoimintapaikkaa', goalId: goal, serviceId: work, owner: team.nurse.id, due: addDays(helsinkiToday(), 14) });
		const first = addAction(doc, { text: 'Varataan aika psykiatriselle sairaanhoitajalle', goalId: goal, serviceId: health, owner: team.nurse.id, status: 'doing' }, 0);
		ensurePerspective(doc, team.nurse.id).insert(0, 'Uni on parantunut; jaksaminen vaihtelee.');
		addOpenQuestion(doc, 'Kuka hakee Kelan kuntoutusta? (Åsa)');
		await handled(writer.provider);

		const expectPlan = async () => {
			const plan = await shared.srv.app.plan(team.meeting.id);
			expect(plan.meetingId).toBe(team.meeting.id);
			expect(plan.clientVoice).toBe('Haluan päästä kuntouttavaan työtoimintaan ja myöhemmin töihin kirjastoon.');
			expect(plan.services.map((s) => [s.id, s.name, s.sector, s.status])).toEqual([
				[kela, 'Kelan ammatillinen kuntoutus', 'kela', 'suggested'],
				[health, 'Psykiatrinen sairaanhoitaja', 'health', 'current'],
				[work, 'Kuntouttava työtoiminta', 'social', 'planned']
			]);
			expect(plan.services.find((s) => s.id === health)).toMatchObject({ provider: 'Terveysasema', tie: 'strong' });
			expect(plan.goals).toEqual([
				expect.objectContaining({
					id: goal,
					text: 'Jaksan käydä työtoiminnassa kolmena päivänä viikossa.',
					area: 'work',
					gas: { '0': 'Kolme päivää viikossa', '2': 'Viisi päivää viikossa' }
				})
			]);
			expect(plan.actions.map((a) => [a.id, a.text, a.serviceId, a.status, a.ownerName])).toEqual([
				[first, 'Varataan aika psykiatriselle sairaanhoitajalle', health, 'doing', names.nurse],
				[second, 'Haetaan työtoimintapaikkaa', work, 'todo', names.nurse]
			]);
			expect(plan.actions[1]!.due).toBe(addDays(helsinkiToday(), 14));
			expect(plan.perspectives).toEqual([{ participantId: team.nurse.id, name: names.nurse, text: 'Uni on parantunut; jaksaminen vaihtelee.' }]);
			expect(plan.openQuestions).toEqual([{ id: expect.any(String), text: 'Kuka hakee Kelan kuntoutusta? (Åsa)', resolved: false }]);
			// The revoked participant is not in the plan; the others are.
			expect(plan.participants.map((p) => p.name).sort()).toEqual(
				[names.coordinator, 'Marjatta Pöllänen', names.nurse, names.kela].sort()
			);
		};

		expect(shared.srv.app.documents.get(team.meeting.id)?.state).toBe('ready');
		await expectPlan();

		clients.destroy(writer.provider);
		await expect.poll(() => shared.srv.app.documents.get(team.meeting.id)).toBeUndefined();
		await expectPlan();
	});
});
