import { createHash } from 'node:crypto';
import { m } from '../../src/lib/paraglide/messages.js';
import { gasLevels, goalAreas, sectors, ties } from '../../src/lib/meeting/vocabulary.js';
import { participantRoles } from '../../src/lib/protocol/participants.js';
import { consentOrganisationOfRole } from '../consents.js';
import { labelsFor, signed, type Labels } from './labels.js';
import { ratingOf, readPlanVersion, type ExportInput, type PlanParticipant } from './model.js';

/**
 * The closed plan as a FHIR R4 Bundle of type `collection` (docs/fhir.md): a CarePlan whose activities
 * are the actions in order, a Goal per goal, a CareTeam with the participants and their roles, a
 * ServiceRequest per service of the map, and the local code systems the codes come from.
 *
 * This is an exchange format for the organisations' own systems, not a Kanta-conformant document.
 */

/** The base of every local URL; they name things, they are not fetched. */
export const fhirBase = 'https://verkosto.fi/fhir';

export const codeSystems = {
	participantRole: `${fhirBase}/CodeSystem/participant-role`,
	sector: `${fhirBase}/CodeSystem/sector`,
	goalArea: `${fhirBase}/CodeSystem/goal-area`,
	gasLevel: `${fhirBase}/CodeSystem/gas-level`,
	ecomapTie: `${fhirBase}/CodeSystem/ecomap-tie`
} as const;

export const identifierSystems = {
	meeting: `${fhirBase}/id/meeting`,
	participant: `${fhirBase}/id/participant`,
	goal: `${fhirBase}/id/goal`,
	action: `${fhirBase}/id/action`,
	service: `${fhirBase}/id/service`,
	planVersion: `${fhirBase}/id/plan-version`,
	/** A consent organisation of Kela's form Y 100 (`health`, `social`, …) as the Consent names it. */
	consentOrganisation: `${fhirBase}/id/consent-organisation`
} as const;

export const ecomapTieExtension = `${fhirBase}/StructureDefinition/ecomap-tie`;
/** On Consent: who recorded it (the client, or the coordinator with the client); R4 Consent has no such element. */
export const consentRecordedByExtension = `${fhirBase}/StructureDefinition/consent-recorded-by`;
const goalAchievement = 'http://terminology.hl7.org/CodeSystem/goal-achievement';

type Resource = Record<string, unknown> & { resourceType: string; id: string };

/**
 * A stable UUID for one item of one meeting: the same plan version always gives the same Bundle.
 * Our own ids may hold `_`, which a FHIR id may not; they travel as identifiers instead.
 */
function uuidFor(...parts: string[]): string {
	const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
	// RFC 9562 version 8 (custom) with the RFC variant bits.
	const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const reference = (resource: Resource, display?: string | null) => ({
	reference: `urn:uuid:${resource.id}`,
	...(display ? { display } : {})
});

/** What the GAS rating at a closing meeting says in FHIR's goal-achievement words (docs/fhir.md). */
export function achievementOf(rating: number | null): { code: string; display: string } {
	if (rating === null) return { code: 'in-progress', display: 'In Progress' };
	if (rating >= 0) return { code: 'achieved', display: 'Achieved' };
	// Kela's GAS scale sets the starting level at −1; −2 is worse than at the start.
	if (rating === -1) return { code: 'no-change', display: 'No Change' };
	return { code: 'worsening', display: 'Worsening' };
}

function codeSystem(url: string, name: string, title: string, codes: readonly string[], display: (code: string) => string, l: Labels): Resource {
	return {
		resourceType: 'CodeSystem',
		id: uuidFor('CodeSystem', url, l.locale),
		url,
		version: '1',
		name,
		title,
		status: 'active',
		experimental: false,
		language: l.locale,
		caseSensitive: true,
		content: 'complete',
		concept: codes.map((code) => ({ code, display: display(code) }))
	};
}

export function buildFhirBundle(input: ExportInput): Record<string, unknown> {
	const { version, meeting, locale, evaluation, kind } = input;
	const plan = version.plan;
	const l = labelsFor(locale);
	const read = readPlanVersion(plan, locale);
	const id = (...parts: string[]) => uuidFor(meeting.id, String(version.version), ...parts);
	const planIdentifier = { system: identifierSystems.planVersion, value: version.hash };

	const roleCoding = (role: string) => ({ system: codeSystems.participantRole, code: role, display: l.role(role) });

	// The coordinator's record of a name, and a guest's own chosen name beside it as a `nickname` (issue #20 item 8).
	const namesOf = (person: PlanParticipant) => [
		{ text: person.name },
		...(person.chosenName ? [{ use: 'nickname', text: person.chosenName }] : [])
	];

	// The client as a Patient with only the name they gave: Verkosto records no identity code.
	const clientPerson = read.client;
	const patient: Resource = {
		resourceType: 'Patient',
		id: id('Patient', clientPerson?.id ?? 'client'),
		...(clientPerson ? { identifier: [{ system: identifierSystems.participant, value: clientPerson.id }], name: namesOf(clientPerson) } : {})
	};
	const patientRef = reference(patient, clientPerson?.name);

	const organisations = new Map<string, Resource>();
	const organisationOf = (name: string) => {
		const key = name.trim();
		if (!key) return null;
		let organisation = organisations.get(key.toLocaleLowerCase('fi'));
		if (!organisation) {
			organisation = { resourceType: 'Organization', id: id('Organization', key.toLocaleLowerCase('fi')), name: key };
			organisations.set(key.toLocaleLowerCase('fi'), organisation);
		}
		return organisation;
	};

	// Professionals as Practitioners; a peer supporter accompanies the client, so a RelatedPerson.
	const members = new Map<string, Resource>();
	const memberOf = (person: PlanParticipant): Resource => {
		if (person.role === 'client') return patient;
		let resource = members.get(person.id);
		if (!resource) {
			const common = { identifier: [{ system: identifierSystems.participant, value: person.id }], name: namesOf(person) };
			resource =
				person.role === 'peer_supporter'
					? { resourceType: 'RelatedPerson', id: id('RelatedPerson', person.id), ...common, patient: patientRef }
					: { resourceType: 'Practitioner', id: id('Practitioner', person.id), ...common };
			members.set(person.id, resource);
		}
		return resource;
	};

	const careTeam: Resource = {
		resourceType: 'CareTeam',
		id: id('CareTeam'),
		identifier: [{ system: identifierSystems.meeting, value: meeting.id }],
		status: kind === 'closing' ? 'inactive' : 'active',
		name: meeting.title,
		subject: patientRef,
		participant: plan.participants.map((person) => {
			const member = memberOf(person);
			const organisation = person.role === 'client' ? null : organisationOf(person.organisation);
			return {
				role: [{ coding: [roleCoding(person.role)], text: l.role(person.role) }],
				member: reference(member, person.name),
				// FHIR ctm-1: onBehalfOf only for a Practitioner member.
				...(organisation && member.resourceType === 'Practitioner' ? { onBehalfOf: reference(organisation, organisation.name as string) } : {})
			};
		})
	};

	const goals = read.goals.map((goal) => {
		const rating = ratingOf(evaluation, goal.id);
		const shown = rating ? (rating.worker ?? rating.client) : null;
		const achievement = achievementOf(shown);
		const levels = gasLevels.filter((level) => goal.gas?.[level]);
		const resource: Resource = {
			resourceType: 'Goal',
			id: id('Goal', goal.id),
			identifier: [{ system: identifierSystems.goal, value: goal.id }],
			lifecycleStatus: kind === 'closing' && rating ? 'completed' : 'active',
			achievementStatus: { coding: [{ system: goalAchievement, ...achievement }] },
			category: [{ coding: [{ system: codeSystems.goalArea, code: goal.area, display: l.goalArea(goal.area) }] }],
			description: { text: goal.text },
			subject: patientRef,
			// The goal is in the client's own words.
			expressedBy: patientRef,
			...(goal.gas?.['0']
				? {
						target: [
							{
								measure: { coding: [{ system: codeSystems.gasLevel, code: '0', display: l.gasLevel('0') }] },
								detailString: goal.gas['0']
							}
						]
					}
				: {}),
			...(levels.length > 0 ? { note: levels.map((level) => ({ text: `${signed(level)}: ${goal.gas![level]}` })) } : {}),
			...(rating
				? {
						outcomeCode: [
							...(rating.client !== null
								? [{ coding: [gasCoding(rating.client, l)], text: m.close_fhir_rating_client({ rating: signed(rating.client) }, { locale }) }]
								: []),
							...(rating.worker !== null
								? [{ coding: [gasCoding(rating.worker, l)], text: m.close_fhir_rating_worker({ rating: signed(rating.worker) }, { locale }) }]
								: [])
						]
					}
				: {})
		};
		return { goal, resource };
	});
	const goalResource = new Map(goals.map(({ goal, resource }) => [goal.id, resource]));

	const serviceRequests = read.services.map((service) => {
		const { status, intent } = serviceRequestStatus(service.status);
		const notes = [service.contact && m.close_fhir_service_contact({ contact: service.contact }, { locale }), service.note].filter(Boolean);
		const resource: Resource = {
			resourceType: 'ServiceRequest',
			id: id('ServiceRequest', service.id),
			identifier: [{ system: identifierSystems.service, value: service.id }],
			extension: [{ url: ecomapTieExtension, valueCoding: { system: codeSystems.ecomapTie, code: service.tie, display: l.tie(service.tie) } }],
			status,
			intent,
			category: [{ coding: [{ system: codeSystems.sector, code: service.sector, display: l.sector(service.sector) }] }],
			code: { text: service.name || m.close_unnamed_service({}, { locale }) },
			subject: patientRef,
			authoredOn: version.closedAt,
			// The planned months (v3), as FHIR partial dates (YYYY-MM).
			...(service.start || service.end ? { occurrencePeriod: { ...(service.start ? { start: service.start } : {}), ...(service.end ? { end: service.end } : {}) } } : {}),
			...(service.provider ? { performer: [{ display: service.provider }] } : {}),
			...(notes.length > 0 ? { note: notes.map((text) => ({ text })) } : {})
		};
		return { service, resource };
	});

	const ownerReference = (participantId: string, name: string | null) => {
		const person = read.byId.get(participantId);
		return person ? reference(memberOf(person), person.name) : name ? { display: name } : null;
	};

	const closer = read.byId.get(version.closedBy);
	const responsible = plan.responsibleWorker;
	const carePlan: Resource = {
		resourceType: 'CarePlan',
		id: id('CarePlan'),
		identifier: [planIdentifier, { system: identifierSystems.meeting, value: meeting.id }],
		status: kind === 'closing' ? 'completed' : 'active',
		intent: 'plan',
		title: meeting.title,
		description: m.close_fhir_description({ version: String(version.version) }, { locale }),
		subject: patientRef,
		created: version.closedAt,
		...(closer ? { author: reference(memberOf(closer), closer.name) } : {}),
		careTeam: [reference(careTeam)],
		goal: goals.map(({ resource }) => reference(resource)),
		activity: [
			...read.actions.map((action) => {
				const performer = action.owner ? ownerReference(action.owner, action.ownerName) : null;
				const goal = goalResource.get(action.goalId);
				return {
					// The action's own id, so a receiver can follow it from version to version.
					id: `action-${action.id}`,
					detail: {
						kind: 'Task',
						status: activityStatus(action.status),
						description: action.text,
						...(goal ? { goal: [reference(goal)] } : {}),
						...(action.due ? { scheduledPeriod: { end: action.due } } : {}),
						...(performer ? { performer: [performer] } : {})
					}
				};
			}),
			...serviceRequests.map(({ service, resource }) => ({ id: `service-${service.id}`, reference: reference(resource, service.name) })),
			...(responsible
				? [
						{
							id: 'follow-up',
							detail: {
								kind: 'Appointment',
								status: 'scheduled',
								description: l.followUpMode(responsible.followUpMode),
								scheduledPeriod: { start: responsible.followUpDate, end: responsible.followUpDate },
								performer: [ownerReference(responsible.participantId, responsible.name) ?? { display: responsible.name ?? '' }]
							}
						}
					]
				: [])
		],
		...(plan.clientVoice.trim() ? { note: [{ authorReference: patientRef, text: plan.clientVoice }] } : {})
	};

	const consent = buildConsent();
	function buildConsent(): Resource | null {
		const given = input.consent;
		if (!given) return null;
		const recorder = read.byId.get(given.recordedBy);
		const actors = given.organisations.flatMap((category): Array<Record<string, unknown>> => {
			const identifier = { system: identifierSystems.consentOrganisation, value: category };
			const role = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP', display: 'information recipient' }] };
			const matching = plan.participants.filter((p) => p.role !== 'client' && consentOrganisationOfRole(p.role) === category);
			const named = [...new Set(matching.map((p) => organisationOf(p.organisation)).filter((o): o is Resource => o !== null))];
			if (named.length === 0) return [{ role, reference: { identifier, display: l.consentOrganisation(category) } }];
			return named.map((organisation) => ({ role, reference: { ...reference(organisation, organisation.name as string), identifier } }));
		});
		return {
			resourceType: 'Consent',
			id: id('Consent'),
			...(recorder
				? { extension: [{ url: consentRecordedByExtension, valueReference: reference(memberOf(recorder), recorder.name) }] }
				: {}),
			status: 'active',
			scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy', display: 'Privacy Consent' }] },
			category: [
				{
					coding: [{ system: 'http://loinc.org', code: '59284-0', display: 'Patient Consent' }],
					text: m.record_consent_heading({}, { locale })
				}
			],
			patient: patientRef,
			dateTime: given.givenAt,
			// The client agrees (or refuses); who wrote it down is in the extension above.
			performer: [patientRef],
			policyRule: {
				coding: [
					given.organisations.length > 0
						? { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN', display: 'opt-in' }
						: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTOUT', display: 'opt-out' }
				],
				text: l.consentScope(given)
			},
			provision:
				given.organisations.length > 0
					? {
							type: 'permit',
							actor: actors,
							action: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentaction', code: 'disclose', display: 'Disclose' }] }]
						}
					: { type: 'deny' }
		};
	}

	const systems = [
		codeSystem(codeSystems.participantRole, 'VerkostoParticipantRole', m.close_fhir_cs_role({}, { locale }), participantRoles, l.role, l),
		codeSystem(codeSystems.sector, 'VerkostoSector', m.close_fhir_cs_sector({}, { locale }), sectors, l.sector, l),
		codeSystem(codeSystems.goalArea, 'VerkostoGoalArea', m.close_fhir_cs_goal_area({}, { locale }), goalAreas, l.goalArea, l),
		codeSystem(codeSystems.gasLevel, 'VerkostoGasLevel', m.close_fhir_cs_gas({}, { locale }), gasLevels, l.gasLevel, l),
		codeSystem(codeSystems.ecomapTie, 'VerkostoEcomapTie', m.close_fhir_cs_tie({}, { locale }), ties, l.tie, l)
	];

	const resources: Resource[] = [
		carePlan,
		patient,
		careTeam,
		...members.values(),
		...organisations.values(),
		...goals.map(({ resource }) => resource),
		...serviceRequests.map(({ resource }) => resource),
		...(consent ? [consent] : []),
		...systems
	];
	return {
		resourceType: 'Bundle',
		id: id('Bundle'),
		meta: { lastUpdated: version.closedAt },
		identifier: planIdentifier,
		type: 'collection',
		timestamp: version.closedAt,
		entry: resources.map((resource) => ({ fullUrl: `urn:uuid:${resource.id}`, resource }))
	};
}

function gasCoding(rating: number, l: Labels) {
	const code = String(rating);
	return { system: codeSystems.gasLevel, code, display: l.gasLevel(code) };
}

/** A service of the map as a request: current and ended ones were ordered, planned ones are the plan's, suggested ones a proposal. */
function serviceRequestStatus(status: string): { status: string; intent: string } {
	switch (status) {
		case 'planned':
			return { status: 'active', intent: 'plan' };
		case 'suggested':
			return { status: 'draft', intent: 'proposal' };
		case 'ended':
			return { status: 'completed', intent: 'order' };
		default:
			return { status: 'active', intent: 'order' };
	}
}

function activityStatus(status: string): string {
	return status === 'done' ? 'completed' : status === 'doing' ? 'in-progress' : 'not-started';
}
