/**
 * A network meeting with a complete plan, made the way participants make one: the client and a Kela
 * professional join by invitation (the client gives consent), the coordinator writes services,
 * goals and actions through a real y-websocket provider, and names the responsible worker.
 * Invented people and words only (STYLE.md 9).
 */
import { vi } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { addMonths, helsinkiToday } from '../../server/follow-up.js';
import type { Meeting } from '../../server/meetings.js';
import {
	addAction,
	addGoal,
	addService,
	clientVoice,
	change,
	setGoalLevel,
	type ActionInput,
	type ServiceInput
} from '../../src/lib/meeting/index.js';
import { guest, meetingWithCoordinator, names, type Account, type Guest } from '../helpers/people.js';
import type { TestServer } from '../helpers/server.js';
import { connectProvider, synced } from '../helpers/yjs-client.js';

/** Resolves once `check` stops throwing (a retrying assertion); rethrows its last error on timeout. */
export function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
	return vi.waitFor(check, { timeout: timeoutMs, interval: 20 });
}

export interface PlanMeeting {
	meeting: Meeting;
	coordinator: Account;
	client: Guest;
	kela: Guest;
	nurse: Guest;
	/** The coordinator's provider (destroy it in the test's cleanup). */
	provider: WebsocketProvider;
	doc: Y.Doc;
	ids: { services: string[]; goals: string[]; actions: string[] };
}

export const words = {
	clientVoice: 'Haluaisin palata työhön syksyllä, ensin neljä tuntia päivässä. Selkä kipeytyy pitkästä istumisesta.',
	goals: ['Palaan työhön osa-aikaisesti syksyllä.', 'Jaksan arjessa paremmin: nukun yöt ja liikun päivittäin.'],
	actions: ['Hakemus ammatilliseen kuntoutukseen (työkokeilu).', 'Terveystarkastus ja selän hoitosuunnitelma.', 'Vertaisryhmä kerran viikossa.'],
	services: ['Työkokeilu – Östersundin kierrätyskeskus', 'Terveydenhoitajan vastaanotto', 'Mielenterveysyhdistys Äänekoski']
};

/** Writes the content through the coordinator's provider and waits until the server has it. */
export async function planMeeting(srv: TestServer, options: { title?: string; responsible?: boolean } = {}): Promise<PlanMeeting> {
	const app = srv.app;
	const { meeting, coordinator } = await meetingWithCoordinator(app, options.title);
	const client = await guest(app, meeting.id, coordinator, { role: 'client' });
	const kela = await guest(app, meeting.id, coordinator, { role: 'kela', name: names.kela });
	const nurse = await guest(app, meeting.id, coordinator, { role: 'nurse', name: names.nurse, organisation: 'Sote-keskus' });
	const { doc, provider } = connectProvider(srv.yjsUrl, meeting.id, new Y.Doc(), { cookie: coordinator.cookie });
	await synced(provider);

	const services: Array<ServiceInput> = [
		{ name: words.services[0]!, sector: 'employment', status: 'planned', provider: 'Kela / TE-palvelut', tie: 'strong' },
		{ name: words.services[1]!, sector: 'health', status: 'current', provider: 'Sote-keskus', contact: '040 123 4567', tie: 'moderate' },
		{ name: words.services[2]!, sector: 'third_sector', status: 'suggested', tie: 'tenuous', note: 'Ryhmä tiistaisin.' }
	];
	const ids = { services: [] as string[], goals: [] as string[], actions: [] as string[] };
	change(doc, () => {
		clientVoice(doc).insert(0, words.clientVoice);
		for (const service of services) ids.services.push(addService(doc, service));
		for (const text of words.goals) ids.goals.push(addGoal(doc, { text, area: ids.goals.length === 0 ? 'work' : 'everyday' }));
		setGoalLevel(doc, ids.goals[0]!, '-2', 'En ole töissä lainkaan.');
		setGoalLevel(doc, ids.goals[0]!, '-1', 'Työkokeilu on haettu.');
		setGoalLevel(doc, ids.goals[0]!, '0', 'Teen töitä neljä tuntia päivässä.');
		setGoalLevel(doc, ids.goals[0]!, '1', 'Teen töitä kuusi tuntia päivässä.');
		setGoalLevel(doc, ids.goals[0]!, '2', 'Teen kokoaikatyötä.');
		const actions: ActionInput[] = [
			{ text: words.actions[0], goalId: ids.goals[0], serviceId: ids.services[0], owner: kela.participant.id, organisation: 'Kela', due: addMonths(helsinkiToday(), 1), status: 'todo' },
			{ text: words.actions[1], goalId: ids.goals[1], serviceId: ids.services[1], owner: nurse.participant.id, organisation: 'Sote-keskus', due: addMonths(helsinkiToday(), 2), status: 'doing' },
			{ text: words.actions[2], goalId: ids.goals[1], serviceId: ids.services[2], owner: client.participant.id, due: '', status: 'todo' }
		];
		for (const action of actions) ids.actions.push(addAction(doc, action));
	});
	await eventually(async () => {
		const plan = await app.plan(meeting.id);
		if (plan.actions.length !== 3 || plan.goals.length !== 2 || plan.services.length !== 3 || !plan.clientVoice) {
			throw new Error('the server does not have the whole plan yet');
		}
	});
	if (options.responsible !== false) {
		const access = app.participation.access(coordinator.principal, meeting.id);
		app.followUp.set(access, {
			participantId: kela.participant.id,
			followUpDate: addMonths(helsinkiToday(), 2),
			followUpMode: 'call',
			contact: 'asa.lindstrom@example.fi, 020 634 0000'
		});
	}
	return { meeting, coordinator, client, kela, nurse, provider, doc, ids };
}

/**
 * Closes the meeting as its coordinator. The plan above has an action of the client's with no due
 * date, so by default the coordinator confirms closing with it (issue #19).
 */
export function closeAsCoordinator(
	srv: TestServer,
	plan: Pick<PlanMeeting, 'meeting' | 'coordinator'>,
	options: { confirmIncompleteActions?: boolean } = { confirmIncompleteActions: true }
) {
	const access = srv.app.participation.access(plan.coordinator.principal, plan.meeting.id);
	return srv.app.closing.close(access, plan.coordinator.principal, options);
}
