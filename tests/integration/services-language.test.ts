/**
 * Exports of a plan with a catalogue service and planned months (issue #21 items 7, 8): every export
 * names the catalogue service in its own language (Swedish in the Swedish PDF), keeps a free-text name
 * as written, and carries the planned months; the FHIR bundle stays valid with them.
 */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import draft6 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import { pdfText } from '../helpers/pdf.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addService, setServiceMonths } from '../../src/lib/meeting/index.js';
import { buildExport, exportInput } from '../../server/exports/index.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { removeDir } from './support.js';
import { closeAsCoordinator, eventually, planMeeting, words, type PlanMeeting } from './plans.js';

const rehab = { catalogueId: 'cat-rehab', catalogueNameFi: 'Kelan ammatillinen kuntoutus', catalogueNameSv: 'FPA:s yrkesinriktade rehabilitering' };

let srv: TestServer;
let plan: PlanMeeting;
let rehabId: string;

beforeAll(async () => {
	srv = await startServer();
	plan = await planMeeting(srv, { title: 'Nätverksmöte – Närpes' });
	rehabId = addService(plan.doc, { name: rehab.catalogueNameFi, sector: 'kela', status: 'planned', ...rehab });
	expect(setServiceMonths(plan.doc, rehabId, { start: '2027-02', end: '2027-06' })).toBeNull();
	await eventually(async () => {
		const service = (await srv.app.plan(plan.meeting.id)).services.find((s) => s.id === rehabId);
		if (service?.end !== '2027-06') throw new Error('the server does not have the months yet');
	});
	await closeAsCoordinator(srv, plan);
	plan.provider.destroy();
});
afterAll(async () => {
	await srv?.close();
	if (srv) removeDir(srv.dataDir);
});

const text = (body: Uint8Array | string) => (typeof body === 'string' ? body : Buffer.from(body).toString('utf8'));

describe('a catalogue service in the exports', () => {
	it('the Swedish PDF names it in Swedish with its months; the Finnish one in Finnish; free text as written', async () => {
		const swedish = await pdfText((await buildExport(await exportInput(srv.app, plan.meeting.id, 'sv'), 'pdf')).body as Uint8Array);
		expect(swedish).toContain(rehab.catalogueNameSv);
		expect(swedish).not.toContain(rehab.catalogueNameFi);
		expect(swedish).toContain(words.services[0]);
		expect(swedish).toMatch(/planerad feb\.? 2027–juni? 2027/);
		const finnish = await pdfText((await buildExport(await exportInput(srv.app, plan.meeting.id, 'fi'), 'pdf')).body as Uint8Array);
		expect(finnish).toContain(rehab.catalogueNameFi);
		expect(finnish).not.toContain(rehab.catalogueNameSv);
	});

	it('the plain-language text names it in the export’s language, with its months', async () => {
		const swedish = text((await buildExport(await exportInput(srv.app, plan.meeting.id, 'sv'), 'plain-txt')).body);
		expect(swedish).toContain(`${rehab.catalogueNameSv} (planerad`);
		const english = text((await buildExport(await exportInput(srv.app, plan.meeting.id, 'en'), 'plain-txt')).body);
		expect(english).toContain(`${rehab.catalogueNameFi} (planned`);
	});

	it('FHIR: the request’s name in the export’s language and its months as occurrencePeriod; still valid R4', async () => {
		const bundle = JSON.parse(text((await buildExport(await exportInput(srv.app, plan.meeting.id, 'sv'), 'fhir')).body)) as {
			entry: Array<{ resource: Record<string, any> }>;
		};
		const request = bundle.entry.map((e) => e.resource).find((r) => r.resourceType === 'ServiceRequest' && r.identifier[0].value === rehabId)!;
		expect(request.code.text).toBe(rehab.catalogueNameSv);
		expect(request.occurrencePeriod).toEqual({ start: '2027-02', end: '2027-06' });
		const others = bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === 'ServiceRequest' && r.identifier[0].value !== rehabId);
		for (const other of others) expect(other).not.toHaveProperty('occurrencePeriod');

		const ajv = new Ajv({ strict: false, allErrors: true });
		ajv.addMetaSchema(draft6);
		const { id, ...schema } = JSON.parse(readFileSync(new URL('../fixtures/fhir.schema.json', import.meta.url), 'utf8')) as { id: string };
		const validate = ajv.compile({ $id: id, ...schema });
		expect(validate(bundle), JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toBe(true);
	});

	it('the closed version keeps the entry’s names and months as they were (export.json holds them)', () => {
		const version = srv.app.closing.version(plan.meeting.id)!;
		expect(version.plan.services.find((s) => s.id === rehabId)).toMatchObject({ ...rehab, start: '2027-02', end: '2027-06' });
	});
});
