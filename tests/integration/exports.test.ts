/**
 * The exports of a closed plan (issue #6): what an organisation's system, a calendar or a PDF reader
 * gets is checked by a real parser or validator, not by looking at our own strings.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import draft6 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import ICAL from 'ical.js';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../server/errors.js';
import { buildExport, exportInput, exportMeeting, organisationExcerpts, plainSummary } from '../../server/exports/index.js';
import { codeSystems, identifierSystems } from '../../server/exports/fhir.js';
import { account, names } from '../helpers/people.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { removeDir } from './support.js';
import { closeAsCoordinator, planMeeting, words, type PlanMeeting } from './plans.js';

let srv: TestServer;
let plan: PlanMeeting;

beforeAll(async () => {
	srv = await startServer();
	plan = await planMeeting(srv, { title: 'Verkostotapaaminen – työhön paluu' });
	await closeAsCoordinator(srv, plan);
	plan.provider.destroy();
});
afterAll(async () => {
	await srv?.close();
	if (srv) removeDir(srv.dataDir);
});

const input = (locale?: string) => exportInput(srv.app, plan.meeting.id, locale);
const text = (body: Uint8Array | string) => (typeof body === 'string' ? body : Buffer.from(body).toString('utf8'));
const squash = (value: string) => value.replace(/\s+/g, ' ').trim();

/** All text of a PDF, as a reader's copy would give it, whitespace squashed. */
async function pdfText(bytes: Uint8Array): Promise<{ text: string; pages: number; title: string }> {
	const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
	const parts: string[] = [];
	for (let n = 1; n <= pdf.numPages; n++) {
		const content = await (await pdf.getPage(n)).getTextContent();
		for (const item of content.items) if ('str' in item) parts.push(item.str, item.hasEOL ? ' ' : '');
	}
	const { info } = (await pdf.getMetadata()) as { info: { Title?: string } };
	const result = { text: squash(parts.join('')), pages: pdf.numPages, title: info.Title ?? '' };
	await pdf.destroy();
	return result;
}

describe('FHIR R4 Bundle', () => {
	it('validates against the official FHIR R4 JSON schema and holds every goal, action and service', async () => {
		const file = await buildExport(await input(), 'fhir');
		const bundle = JSON.parse(text(file.body)) as {
			resourceType: string;
			type: string;
			entry: Array<{ fullUrl: string; resource: Record<string, any> }>;
		};

		const ajv = new Ajv({ strict: false, allErrors: true });
		ajv.addMetaSchema(draft6);
		// The schema is draft-06 and names itself with `id`, which ajv 8 spells `$id`.
		const { id, ...schema } = JSON.parse(readFileSync(new URL('../fixtures/fhir.schema.json', import.meta.url), 'utf8')) as { id: string };
		const validate = ajv.compile({ $id: id, ...schema });
		const valid = validate(bundle);
		expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toEqual([]);
		expect(valid).toBe(true);
		// The schema is strict: a misspelt element would not pass (a check that the validator bites).
		expect(validate({ ...bundle, entry: [{ resource: { resourceType: 'Goal', lifecycleStatus: 'active', descriptionn: {} } }] })).toBe(false);

		expect(bundle.resourceType).toBe('Bundle');
		expect(bundle.type).toBe('collection');
		const of = (type: string) => bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === type);
		const version = srv.app.closing.version(plan.meeting.id)!;

		const [carePlan] = of('CarePlan');
		expect(carePlan!.identifier).toContainEqual({ system: identifierSystems.planVersion, value: version.hash });
		// Every action, in the plan's order, then the services, then the follow-up.
		expect(carePlan!.activity.map((a: { id: string }) => a.id)).toEqual([
			...plan.ids.actions.map((id) => `action-${id}`),
			...plan.ids.services.map((id) => `service-${id}`),
			'follow-up'
		]);
		expect(carePlan!.activity.slice(0, 3).map((a: { detail: { description: string } }) => a.detail.description)).toEqual(words.actions);

		const goals = of('Goal');
		expect(goals.map((g) => g.identifier[0].value)).toEqual(plan.ids.goals);
		expect(goals.map((g) => g.description.text)).toEqual(words.goals);
		for (const goal of goals) expect(goal.achievementStatus.coding[0].code).toBe('in-progress');

		const requests = of('ServiceRequest');
		expect(requests.map((r) => r.identifier[0].value)).toEqual(plan.ids.services);
		expect(requests.map((r) => [r.code.text, r.status, r.intent])).toEqual([
			[words.services[0], 'active', 'plan'],
			[words.services[1], 'active', 'order'],
			[words.services[2], 'draft', 'proposal']
		]);
		expect(requests[0]!.category[0].coding[0]).toMatchObject({ system: codeSystems.sector, code: 'employment' });

		const [team] = of('CareTeam');
		const roles = team!.participant.map((p: { role: Array<{ coding: Array<{ code: string }> }> }) => p.role[0]!.coding[0]!.code);
		expect(roles.sort()).toEqual(['client', 'coordinator', 'kela', 'nurse']);
		expect(of('CodeSystem').map((c) => c.url)).toEqual(expect.arrayContaining([codeSystems.participantRole, codeSystems.sector]));

		// Every reference inside the Bundle resolves to one of its entries.
		const fullUrls = new Set(bundle.entry.map((e) => e.fullUrl));
		const references = JSON.stringify(bundle).match(/"reference":"[^"]+"/g) ?? [];
		expect(references.length).toBeGreaterThan(10);
		for (const ref of references) expect(fullUrls.has(ref.slice('"reference":"'.length, -1))).toBe(true);
	});

	it('is the same Bundle every time for the same version, and speaks the language asked for', async () => {
		const first = text((await buildExport(await input(), 'fhir')).body);
		expect(text((await buildExport(await input(), 'fhir')).body)).toBe(first);
		const swedish = JSON.parse(text((await buildExport(await input('sv'), 'fhir')).body)) as { entry: Array<{ resource: any }> };
		const roleSystem = swedish.entry.find((e) => e.resource.url === codeSystems.participantRole)!.resource;
		expect(roleSystem.language).toBe('sv');
	});
});

describe('PDF', () => {
	it('opens, and holds the goals, the actions and the responsible worker as text, in the meeting language', async () => {
		const file = await buildExport(await input(), 'pdf');
		expect(file.contentType).toBe('application/pdf');
		const bytes = file.body as Uint8Array;
		expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
		const pdf = await pdfText(bytes);
		for (const goal of words.goals) expect(pdf.text).toContain(squash(goal));
		for (const action of words.actions) expect(pdf.text).toContain(squash(action));
		for (const service of words.services) expect(pdf.text).toContain(service);
		expect(pdf.text).toContain(names.kela);
		expect(pdf.text).toContain(squash(words.clientVoice));
		// GAS levels with a real minus sign, embedded as text (not a WinAnsi substitute).
		expect(pdf.text).toContain('−2');
		expect(pdf.title).toContain('Verkostotapaaminen – työhön paluu');
		const raw = Buffer.from(bytes).toString('latin1');
		expect(raw).toMatch(/\/Lang \(fi-FI\)/);
		expect(raw).toMatch(/\/MarkInfo/);
		expect(raw).toMatch(/\/DisplayDocTitle true/);
	});

	it('has a plain-language version for the client', async () => {
		const file = await buildExport(await input('sv'), 'plain-pdf');
		const pdf = await pdfText(file.body as Uint8Array);
		expect(Buffer.from(file.body as Uint8Array).toString('latin1')).toMatch(/\/Lang \(sv-FI\)/);
		expect(pdf.text).toContain('Din plan');
		for (const goal of words.goals) expect(pdf.text).toContain(squash(goal));
		expect(pdf.text).toContain(`${names.kela} ringer dig senast`);
	});
});

describe('iCalendar', () => {
	it('parses, and carries the follow-up as an all-day event with the responsible worker and the mode', async () => {
		const file = await buildExport(await input(), 'ics');
		const body = text(file.body);
		expect(body).toMatch(/\r\n$/);
		for (const line of body.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
		const calendar = new ICAL.Component(ICAL.parse(body) as unknown[]);
		const events = calendar.getAllSubcomponents('vevent');
		expect(events).toHaveLength(1);
		const event = new ICAL.Event(events[0]!);
		const responsible = srv.app.followUp.get(plan.meeting.id)!;
		expect(event.startDate.isDate).toBe(true);
		expect(event.startDate.toString()).toBe(responsible.followUpDate);
		expect(event.summary).toContain(names.kela);
		expect(event.summary).toContain('puhelu');
		expect(event.description).toContain('asa.lindstrom@example.fi, 020 634 0000');
		expect(event.uid).toBe(`${plan.meeting.id}.follow-up@verkosto`);
		// The same event every time: a second import updates, never duplicates.
		expect(text((await buildExport(await input('en'), 'ics')).body)).toContain(`UID:${plan.meeting.id}.follow-up@verkosto`);
	});
});

describe('the plan version as JSON', () => {
	it('is the canonical JSON exactly as hashed, with the hash in its headers', async () => {
		const file = await buildExport(await input(), 'json');
		const version = srv.app.closing.version(plan.meeting.id)!;
		expect(text(file.body)).toBe(version.canonical);
		const digest = createHash('sha256').update(text(file.body)).digest();
		expect(file.headers['x-plan-sha256']).toBe(digest.toString('hex'));
		expect(file.headers['repr-digest']).toBe(`sha-256=:${digest.toString('base64')}:`);
		expect(file.headers.etag).toBe(`"sha256-${version.hash}"`);
	});
});

describe('texts for the organisations and the client', () => {
	it('gives each organisation an excerpt with its own actions', async () => {
		const excerpts = organisationExcerpts(await input());
		expect(excerpts.map((e) => e.organisation)).toEqual(['Kela', 'Sote-keskus']);
		const kela = excerpts.find((e) => e.organisation === 'Kela')!.text;
		expect(kela).toContain(words.actions[0]);
		expect(kela).not.toContain(words.actions[1]);
		expect(kela).toContain(srv.app.closing.version(plan.meeting.id)!.hash.slice(0, 16));
	});

	it('says the plan to the client in short sentences in each language', async () => {
		for (const [locale, title] of [
			['fi', 'Sinun suunnitelmasi'],
			['sv', 'Din plan'],
			['en', 'Your plan']
		] as const) {
			const summary = plainSummary(await input(locale));
			expect(summary.title).toBe(title);
			const sentences = summary.blocks.flatMap((b) => b.sentences).filter((s) => s !== words.clientVoice);
			for (const sentence of sentences) expect(sentence.split(/\s+/).length).toBeLessThanOrEqual(14);
		}
	});
});

describe('who may export what', () => {
	it('answers 409 for a meeting that is not closed, 403 for anyone outside it, and audits every export', async () => {
		const open = await planMeeting(srv, { responsible: false });
		open.provider.destroy();
		const refusal = await exportMeeting(srv.app, open.coordinator.principal, open.meeting.id, 'pdf').catch((e: unknown) => e);
		expect(refusal).toBeInstanceOf(DomainError);
		expect((refusal as DomainError).code).toBe('conflict');
		expect((refusal as DomainError).message).toMatch(/not closed/);

		const outsider = await account(srv.app, 'coordinator');
		const forbidden = await exportMeeting(srv.app, outsider.principal, plan.meeting.id, 'json').catch((e: unknown) => e);
		expect((forbidden as DomainError).code).toBe('forbidden');

		// The client exports their own plain-language plan; the trail says who and which format.
		const clientPrincipal = (await srv.app.principalOf(plan.client.cookie));
		await exportMeeting(srv.app, clientPrincipal, plan.meeting.id, 'plain-txt', 'fi');
		const exports = srv.app.audit.forMeeting(plan.meeting.id).filter((event) => event.action === 'export');
		expect(exports.at(-1)).toMatchObject({ actorParticipantId: plan.client.participant.id, detail: { format: 'plain-txt' } });
	});
});
