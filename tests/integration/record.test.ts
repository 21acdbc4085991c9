/**
 * Issue #19: consent means what the client chose, and the record holds what was said. A client who
 * shares with no organisation has answered, and nothing is shared: no excerpt, "not shared" in every
 * text, a FHIR Consent that denies. The scope can change until closing and is asked again at a
 * follow-up. The summary, the PDF, the plain version and the excerpts hold the perspectives, the open
 * questions, the work ability score and the scope; unresolved questions carry on; an action without
 * owner or due date is closed with only knowingly. Real server, real SQLite file, real y-websocket.
 */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import draft6 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { DomainError } from '../../server/errors.js';
import { buildExport, exportInput, organisationExcerpts, plainSummary, plainText } from '../../server/exports/index.js';
import { fhirBase, identifierSystems } from '../../server/exports/fhir.js';
import { addMonths, helsinkiToday } from '../../server/follow-up.js';
import {
	addGoal,
	addOpenQuestion,
	ensurePerspective,
	readOpenQuestions,
	setOpenQuestionResolved,
	updateAction
} from '../../src/lib/meeting/index.js';
import { guest, meetingWithCoordinator } from '../helpers/people.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { connectProvider, synced } from '../helpers/yjs-client.js';
import { removeDir } from './support.js';
import { closeAsCoordinator, eventually, planMeeting, type PlanMeeting } from './plans.js';

let srv: TestServer;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
	srv = await startServer();
});
afterEach(() => {
	for (const provider of providers.splice(0)) provider.destroy();
});
afterAll(async () => {
	await srv?.close();
	if (srv) removeDir(srv.dataDir);
});

const words = {
	kelaView: 'Kelan näkökulmasta ammatillinen kuntoutus on mahdollinen, kun työkokeilu alkaa.',
	nurseView: 'Selän hoito on kesken; istumatyö vain tauotettuna.',
	openQuestion: 'Riittääkö Östersundin työkokeilupaikka neljäksi tunniksi päivässä?',
	resolvedQuestion: 'Onko Åsalla aikaa soittaa kesäkuussa?'
};

async function refusalOf(work: () => unknown): Promise<DomainError> {
	const error = await Promise.resolve()
		.then(work)
		.then(
			() => null,
			(e: unknown) => e
		);
	expect(error).toBeInstanceOf(DomainError);
	return error as DomainError;
}

const squash = (value: string) => value.replace(/\s+/g, ' ').trim();

/** All text of a PDF as a reader's copy gives it, whitespace squashed (as tests/integration/exports.test.ts). */
async function pdfText(bytes: Uint8Array | string): Promise<string> {
	const pdf = await getDocument({ data: new Uint8Array(bytes as Uint8Array), useSystemFonts: false, isEvalSupported: false }).promise;
	const parts: string[] = [];
	for (let n = 1; n <= pdf.numPages; n++) {
		const content = await (await pdf.getPage(n)).getTextContent();
		for (const item of content.items) if ('str' in item) parts.push(item.str, item.hasEOL ? ' ' : '');
	}
	await pdf.destroy();
	return squash(parts.join(''));
}

let validateFhir: ((bundle: unknown) => boolean) & { errors?: unknown[] | null };
function fhirValidator() {
	if (validateFhir) return validateFhir;
	const ajv = new Ajv({ strict: false, allErrors: true });
	ajv.addMetaSchema(draft6);
	const { id, ...schema } = JSON.parse(readFileSync(new URL('../fixtures/fhir.schema.json', import.meta.url), 'utf8')) as { id: string };
	validateFhir = ajv.compile({ $id: id, ...schema }) as typeof validateFhir;
	return validateFhir;
}

type Bundle = { entry: Array<{ fullUrl: string; resource: Record<string, any> }> };
async function fhirBundle(meetingId: string): Promise<Bundle> {
	const file = await buildExport(await exportInput(srv.app, meetingId, 'fi'), 'fhir');
	const bundle = JSON.parse(String(file.body)) as Bundle;
	const validate = fhirValidator();
	const valid = validate(bundle);
	expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toEqual([]);
	expect(valid).toBe(true);
	return bundle;
}
const consentOf = (bundle: Bundle) => bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === 'Consent');

/** The plan meeting of plans.ts, with the client's consent changed by the coordinator to `organisations`. */
async function withConsent(organisations: string[]): Promise<PlanMeeting> {
	const plan = await planMeeting(srv);
	providers.push(plan.provider);
	const access = srv.app.participation.access(plan.coordinator.principal, plan.meeting.id);
	srv.app.clientConsent.change(access, plan.coordinator.principal, organisations);
	return plan;
}

const clientAccess = async (plan: Pick<PlanMeeting, 'client' | 'meeting'>) => {
	const principal = await srv.app.principalOf(plan.client.cookie);
	return { principal, access: srv.app.participation.access(principal, plan.meeting.id) };
};

describe('consent to share with no organisation', () => {
	it('is an answer: the meeting may close, but no excerpt is made and every text says "not shared"', async () => {
		const app = srv.app;
		const { meeting, coordinator } = await meetingWithCoordinator(app);
		const { participant, invite } = app.participation.addParticipant(coordinator.principal, meeting.id, {
			name: 'Sanna Häkkinen',
			role: 'client',
			organisation: '',
			presence: 'room',
			access: 'edit'
		});
		// The client ticks no box on the join form.
		await app.participation.join(invite!.token, { name: participant.name, consent: [] }, '127.0.0.1');
		expect(app.consents.latest(meeting.id)?.organisations).toEqual([]);
		await guest(app, meeting.id, coordinator, { role: 'kela', name: 'Åsa Lindström' });
		await guest(app, meeting.id, coordinator, { role: 'nurse', name: 'Päivi Öhman', organisation: 'Sote-keskus' });
		// Recorded, so not missing: "not shared" is a valid choice, not an absent one.
		expect(await app.closing.checklist(meeting.id)).not.toContain('client_consent');
		expect(app.decisions(meeting.id).consent).toMatchObject({ organisations: [], recordedBy: participant.id, recordedByName: 'Sanna Häkkinen' });

		const { doc, provider } = connectProvider(srv.yjsUrl, meeting.id, new Y.Doc(), { cookie: coordinator.cookie });
		providers.push(provider);
		await synced(provider);
		addGoal(doc, { text: 'Palaan työhön osa-aikaisesti.', area: 'work' });
		await eventually(async () => expect((await app.plan(meeting.id)).goals).toHaveLength(1));
		const kela = app.participants.list(meeting.id).find((p) => p.role === 'kela')!;
		const access = app.participation.access(coordinator.principal, meeting.id);
		app.followUp.set(access, { participantId: kela.id, followUpDate: addMonths(helsinkiToday(), 1), followUpMode: 'call', contact: '020 634 0000' });
		const version = await app.closing.close(access, coordinator.principal);
		expect(version.plan.consent).toMatchObject({ organisations: [] });

		const input = await exportInput(app, meeting.id, 'fi');
		expect(organisationExcerpts(input)).toEqual([]);
		expect(plainText(input)).toContain('Valitsit, että tietoja ei luovuteta.');
		expect(String((await buildExport(input, 'ics')).body).replace(/\r\n /g, '')).toContain('Suostumus tietojen luovuttamiseen (Y 100): ei luovuteta');
		expect(await pdfText((await buildExport(input, 'pdf')).body as Uint8Array)).toContain('Ei luovuteta: asiakas valitsi');
		for (const [locale, words] of [
			['sv', 'Delas inte'],
			['en', 'Not shared']
		] as const) {
			expect(await pdfText((await buildExport(await exportInput(app, meeting.id, locale), 'pdf')).body as Uint8Array)).toContain(words);
		}

		const [consent, ...more] = consentOf(await fhirBundle(meeting.id));
		expect(more).toEqual([]);
		expect(consent).toMatchObject({
			status: 'active',
			scope: { coding: [{ code: 'patient-privacy' }] },
			dateTime: version.plan.consent!.givenAt,
			provision: { type: 'deny' },
			policyRule: { coding: [{ code: 'OPTOUT' }] }
		});
		expect(consent!.provision.actor).toBeUndefined();
	});
});

describe('the consent scope', () => {
	it('covering two organisations gives excerpts for exactly those, and a FHIR Consent that permits them', async () => {
		const plan = await withConsent(['kela', 'employment']);
		await closeAsCoordinator(srv, plan);
		const input = await exportInput(srv.app, plan.meeting.id, 'fi');
		// Kela is covered; the nurse's Sote-keskus (health) is not.
		expect(organisationExcerpts(input).map((e) => e.organisation)).toEqual(['Kela']);
		expect(organisationExcerpts(input)[0]!.text).toContain('Suostumus tietojen luovuttamiseen (Y 100): Työllisyyspalvelut, Kela');

		const bundle = await fhirBundle(plan.meeting.id);
		const [consent] = consentOf(bundle);
		expect(consent!.provision.type).toBe('permit');
		expect(consent!.policyRule.coding[0].code).toBe('OPTIN');
		expect(consent!.patient.reference).toBe(bundle.entry.find((e) => e.resource.resourceType === 'Patient')!.fullUrl);
		const actors = consent!.provision.actor as Array<{ role: { coding: Array<{ code: string }> }; reference: { reference?: string; identifier: { value: string } } }>;
		expect(actors.map((a) => a.reference.identifier.value)).toEqual(['employment', 'kela']);
		expect(actors.every((a) => a.role.coding[0]!.code === 'IRCP')).toBe(true);
		// Kela is in the meeting: its actor points at its Organization in the Bundle; employment has none.
		const kelaOrg = bundle.entry.find((e) => e.resource.resourceType === 'Organization' && e.resource.name === 'Kela')!;
		expect(actors[1]!.reference.reference).toBe(kelaOrg.fullUrl);
		expect(actors[0]!.reference.reference).toBeUndefined();
		expect(consent!.extension[0].url).toBe(`${fhirBase}/StructureDefinition/consent-recorded-by`);
		expect(identifierSystems.consentOrganisation).toBe(`${fhirBase}/id/consent-organisation`);
	});

	it('changes before closing (by the client or the coordinator), not by others, and not after closing', async () => {
		const app = srv.app;
		const plan = await planMeeting(srv);
		providers.push(plan.provider);
		const client = await clientAccess(plan);
		const changed = app.clientConsent.change(client.access, client.principal, ['health']);
		expect(changed).toMatchObject({ organisations: ['health'], recordedBy: plan.client.participant.id });
		expect(app.decisions(plan.meeting.id).consent?.organisations).toEqual(['health']);

		const coordinator = app.participation.access(plan.coordinator.principal, plan.meeting.id);
		expect(app.clientConsent.change(coordinator, plan.coordinator.principal, ['kela', 'health', 'kela']).organisations).toEqual(['health', 'kela']);
		expect(app.consents.latest(plan.meeting.id)?.recordedBy).toBe(coordinator.participant.id);

		const kelaPrincipal = await app.principalOf(plan.kela.cookie);
		const forbidden = await refusalOf(() =>
			app.clientConsent.change(app.participation.access(kelaPrincipal, plan.meeting.id), kelaPrincipal, [])
		);
		expect(forbidden.code).toBe('forbidden');
		const unknown = await refusalOf(() => app.clientConsent.change(coordinator, plan.coordinator.principal, ['kela', 'verottaja']));
		expect(unknown.code).toBe('invalid');
		expect(app.consents.latest(plan.meeting.id)?.organisations).toEqual(['health', 'kela']);
		expect(app.audit.forMeeting(plan.meeting.id).filter((e) => e.action === 'consent_recorded')).toHaveLength(3);

		const version = await closeAsCoordinator(srv, plan);
		expect(version.plan.consent?.organisations).toEqual(['health', 'kela']);
		const closed = await refusalOf(() => app.clientConsent.change(client.access, client.principal, []));
		expect(closed.code).toBe('conflict');
		expect(closed.status).toBe(409);
		expect(app.consents.latest(plan.meeting.id)?.organisations).toEqual(['health', 'kela']);
	});

	it('is shown again at a follow-up meeting, which asks for consent again instead of copying it', async () => {
		const app = srv.app;
		const plan = await withConsent(['kela']);
		await closeAsCoordinator(srv, plan);
		const { meeting, invites } = await app.closing.startNext(
			app.participation.access(plan.coordinator.principal, plan.meeting.id),
			plan.coordinator.principal,
			{ kind: 'follow_up', title: 'Seurantatapaaminen' }
		);
		expect(app.consents.latest(meeting.id)).toBeUndefined();
		expect(app.decisions(meeting.id).consent).toBeNull();
		expect(app.consents.previous(meeting.id)?.organisations).toEqual(['kela']);
		expect(await app.closing.checklist(meeting.id)).toContain('client_consent');
		expect(app.clientConsent.current(meeting.id)).toMatchObject({ consent: null, previous: { organisations: ['kela'] } });

		const clientInvite = invites.find((invite) => app.participants.get(invite.participantId)?.role === 'client')!;
		const preview = app.participation.preview(clientInvite.token, '127.0.0.2');
		expect(preview.previousConsent).toEqual(['kela']);
		// The client must answer again; an answer without consent is refused.
		const refused = await refusalOf(() => app.participation.join(clientInvite.token, { name: 'Sanna Häkkinen', consent: null }, '127.0.0.2'));
		expect(refused.code).toBe('invalid');
		await app.participation.join(clientInvite.token, { name: 'Sanna Häkkinen', consent: ['kela', 'health'] }, '127.0.0.2');
		expect(app.consents.latest(meeting.id)?.organisations).toEqual(['health', 'kela']);
		expect(await app.closing.checklist(meeting.id)).not.toContain('client_consent');
	});
});

describe('the record holds what was said', () => {
	it('the summary texts, the PDF, the plain version and the excerpts have the perspectives, open questions, work ability and scope', async () => {
		const app = srv.app;
		const plan = await withConsent(['health', 'kela']);
		const { doc } = plan;
		ensurePerspective(doc, plan.kela.participant.id).insert(0, words.kelaView);
		ensurePerspective(doc, plan.nurse.participant.id).insert(0, words.nurseView);
		addOpenQuestion(doc, words.openQuestion);
		const resolved = addOpenQuestion(doc, words.resolvedQuestion);
		setOpenQuestionResolved(doc, resolved, true);
		await eventually(async () => {
			const live = await app.plan(plan.meeting.id);
			expect(live.perspectives.map((p) => p.text).sort()).toEqual([words.kelaView, words.nurseView].sort());
			expect(live.openQuestions).toHaveLength(2);
		});
		const client = await clientAccess(plan);
		app.followUp.setWorkAbility(client.access, 6);
		const version = await closeAsCoordinator(srv, plan);
		expect(version.plan.workAbilityScore).toBe(6);

		const input = await exportInput(app, plan.meeting.id, 'fi');
		const pdf = await pdfText((await buildExport(input, 'pdf')).body as Uint8Array);
		for (const text of [words.kelaView, words.nurseView, words.openQuestion, words.resolvedQuestion]) expect(pdf).toContain(squash(text));
		expect(pdf).toContain('Asiakkaan oma arvio työkyvystään: 6/10.');
		expect(pdf).toContain('Tietoja saa vaihtaa näiden kesken:');
		expect(pdf).toContain('Kela');

		const excerpts = organisationExcerpts(input);
		expect(excerpts.map((e) => e.organisation)).toEqual(['Kela', 'Sote-keskus']);
		const [kela, sote] = excerpts.map((e) => e.text) as [string, string];
		// Each organisation's excerpt has its own member's perspective, not the other's.
		expect(kela).toContain(words.kelaView);
		expect(kela).not.toContain(words.nurseView);
		expect(sote).toContain(words.nurseView);
		for (const text of [kela, sote]) {
			expect(text).toContain(words.openQuestion);
			expect(text).not.toContain(words.resolvedQuestion);
			expect(text).toContain('Työkyky, asiakkaan oma arvio (0–10): 6');
			expect(text).toMatch(/Suostumus tietojen luovuttamiseen \(Y 100\): Terveyspalvelut.*, Kela/);
		}

		const plain = plainSummary(input);
		const all = plain.blocks.flatMap((b) => [b.heading, ...b.sentences, ...b.items]).join('\n');
		expect(all).toContain('Arvioit työkykysi: 6/10.');
		expect(all).toContain(words.openQuestion);
		expect(all).toContain(words.kelaView);
		expect(all).toContain('Annoit luvan');
		const plainPdf = await pdfText((await buildExport(input, 'plain-pdf')).body as Uint8Array);
		expect(plainPdf).toContain(squash(words.openQuestion));
		expect(plainPdf).toContain('Arvioit työkykysi: 6/10.');
	});

	it('carries unresolved open questions and the responsible worker (as a proposal) into a follow-up', async () => {
		const app = srv.app;
		const plan = await planMeeting(srv);
		providers.push(plan.provider);
		const open = addOpenQuestion(plan.doc, words.openQuestion);
		const resolved = addOpenQuestion(plan.doc, words.resolvedQuestion);
		setOpenQuestionResolved(plan.doc, resolved, true);
		await eventually(async () => expect((await app.plan(plan.meeting.id)).openQuestions.map((q) => q.resolved)).toEqual([false, true]));
		await closeAsCoordinator(srv, plan);
		const { meeting } = await app.closing.startNext(
			app.participation.access(plan.coordinator.principal, plan.meeting.id),
			plan.coordinator.principal,
			{ kind: 'follow_up', title: 'Seurantatapaaminen' }
		);
		const follow = connectProvider(srv.yjsUrl, meeting.id, new Y.Doc(), { cookie: plan.coordinator.cookie });
		providers.push(follow.provider);
		await synced(follow.provider);
		expect(readOpenQuestions(follow.doc).map(({ id, text, resolved }) => ({ id, text, resolved }))).toEqual([
			{ id: open, text: words.openQuestion, resolved: false }
		]);

		// The previous responsible worker is proposed (as this meeting's participant), not decided.
		const kelaHere = app.participants.list(meeting.id).find((p) => p.role === 'kela')!;
		const decisions = app.decisions(meeting.id);
		expect(decisions.responsible).toBeNull();
		expect(decisions.responsibleProposal).toEqual({ participantId: kelaHere.id, contact: 'asa.lindstrom@example.fi, 020 634 0000' });
		expect(await app.closing.checklist(meeting.id)).toContain('responsible_worker');
	});
});

describe('actions without an owner or a due date', () => {
	it('are listed by the checklist, and closing with them needs the coordinator’s confirmation', async () => {
		const app = srv.app;
		const plan = await planMeeting(srv);
		providers.push(plan.provider);
		// The third action of plans.ts is the client's own, with no due date.
		expect(await app.closing.incompleteActions(plan.meeting.id)).toEqual([
			{ id: plan.ids.actions[2], number: 3, text: expect.any(String), missing: ['due'] }
		]);
		const refusal = await refusalOf(() => closeAsCoordinator(srv, plan, {}));
		expect(refusal.code).toBe('conflict');
		expect(refusal.detail.incompleteActions?.map((a) => [a.number, a.missing])).toEqual([[3, ['due']]]);
		expect(app.closing.isClosed(plan.meeting.id)).toBe(false);
		// Only the coordinator's own confirmation counts, on this request.
		const refusedAgain = await refusalOf(() => closeAsCoordinator(srv, plan, { confirmIncompleteActions: false }));
		expect(refusedAgain.code).toBe('conflict');

		const version = await closeAsCoordinator(srv, plan, { confirmIncompleteActions: true });
		expect(version.version).toBe(1);
		expect(app.closing.isClosed(plan.meeting.id)).toBe(true);
	});

	it('counts an owner who is not a participant of the meeting as no owner', async () => {
		const app = srv.app;
		const plan = await planMeeting(srv);
		providers.push(plan.provider);
		updateAction(plan.doc, plan.ids.actions[0]!, { owner: 'nobody-here' });
		updateAction(plan.doc, plan.ids.actions[2]!, { due: '2030-01-31' });
		await eventually(async () =>
			expect((await app.closing.incompleteActions(plan.meeting.id)).map((a) => [a.number, a.missing])).toEqual([[1, ['owner']]])
		);
	});
});
