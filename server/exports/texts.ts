import { serviceMonthsText } from '../../src/lib/i18n/services.js';
import { m } from '../../src/lib/paraglide/messages.js';
import type { ServiceStatus } from '../../src/lib/meeting/vocabulary.js';
import { labelsFor } from './labels.js';
import { consentedOrganisationsOf, readPlanVersion, type ExportInput } from './model.js';

/** A block of the plain-language version: a heading, short sentences, and an optional list. */
export interface PlainBlock {
	heading: string;
	sentences: string[];
	items: string[];
}

/**
 * The plan in plain language for the client (selkokieli, lättläst, plain English): short sentences,
 * common words, "you" instead of "the client", one thing per sentence. The same blocks make the
 * summary page's version, its text download and the plain PDF.
 */
export function plainSummary(input: ExportInput): { title: string; blocks: PlainBlock[] } {
	const { version, locale, meeting } = input;
	const plan = version.plan;
	const l = labelsFor(locale);
	const read = readPlanVersion(plan, locale);
	const o = { locale };
	const blocks: PlainBlock[] = [];

	blocks.push({
		heading: m.close_plain_meeting_heading({}, o),
		sentences: [m.close_plain_meeting_when({ date: l.date(version.closedAt.slice(0, 10)) }, o), m.close_plain_meeting_who({}, o)],
		items: read.participants.map((p) => (p.role === 'client' ? m.close_plain_you({ name: l.person(p) }, o) : `${l.person(p)}, ${l.role(p.role)}`))
	});

	if (plan.clientVoice.trim() || plan.workAbilityScore !== null) {
		blocks.push({
			heading: m.close_plain_words_heading({}, o),
			sentences: [
				...(plan.clientVoice.trim() ? [plan.clientVoice.trim()] : []),
				...(plan.workAbilityScore !== null ? [m.record_plain_work_ability({ score: String(plan.workAbilityScore) }, o)] : []),
				...(plan.workAbilityScore !== null && plan.workAbilityRecordedBy ? [recordedByText(plan, plan.workAbilityRecordedBy, locale)!] : [])
			],
			items: []
		});
	}

	const perspectives = writtenPerspectives(input);
	if (perspectives.length > 0) {
		blocks.push({
			heading: m.record_plain_perspectives_heading({}, o),
			sentences: [],
			items: perspectives.map(
				(p) => `${p.name}: ${p.text}${p.writtenBy.map((writer) => ` (${m.scribe_written_by({ writer, name: p.name }, o)})`).join('')}`
			)
		});
	}

	blocks.push({
		heading: m.close_plain_goals_heading({}, o),
		sentences: read.goals.length === 0 ? [m.close_plain_goals_none({}, o)] : [],
		items: read.goals.map((goal) => goal.text.trim())
	});

	blocks.push({
		heading: m.close_plain_actions_heading({}, o),
		sentences: read.actions.length === 0 ? [m.close_plain_actions_none({}, o)] : [],
		items: read.actions.map((action) => {
			const parts = [ensureStop(action.text.trim())];
			if (action.owner && action.owner === read.client?.id) parts.push(m.close_plain_action_you({}, o));
			else if (action.ownerName) parts.push(m.close_plain_action_who({ name: action.ownerName }, o));
			if (action.due) parts.push(m.close_plain_action_when({ date: l.date(action.due) }, o));
			return parts.join(' ');
		})
	});

	const byStatus = (status: ServiceStatus) =>
		read.services
			.filter((s) => s.status === status)
			.map((s) => {
				const name = s.name || m.close_unnamed_service({}, o);
				const months = serviceMonthsText(s, locale);
				return months ? `${name} (${months})` : name;
			});
	const serviceLines = (
		[
			['current', m.close_plain_services_now],
			['planned', m.close_plain_services_planned],
			['suggested', m.close_plain_services_suggested],
			['ended', m.close_plain_services_ended]
		] as const
	)
		.map(([status, line]) => ({ names: byStatus(status), line }))
		.filter(({ names }) => names.length > 0)
		.map(({ names, line }) => line({ services: names.join(', ') }, o));
	if (serviceLines.length > 0) blocks.push({ heading: m.close_plain_services_heading({}, o), sentences: [], items: serviceLines });

	const open = plan.openQuestions.filter((q) => !q.resolved && q.text.trim());
	if (open.length > 0) {
		blocks.push({ heading: m.record_plain_questions_heading({}, o), sentences: [], items: open.map((q) => q.text.trim()) });
	}

	const responsible = plan.responsibleWorker;
	if (responsible) {
		const name = responsible.name ?? '';
		const date = l.date(responsible.followUpDate);
		blocks.push({
			heading: m.close_plain_helper_heading({}, o),
			sentences: [
				m.close_plain_helper_is({ name }, o),
				responsible.followUpMode === 'call' ? m.close_plain_helper_calls({ name, date }, o) : m.close_plain_helper_meets({ name, date }, o),
				...(responsible.contact ? [m.close_plain_helper_contact({ contact: responsible.contact }, o)] : []),
				m.close_plain_helper_questions({ name }, o)
			],
			items: []
		});
	}

	blocks.push({
		heading: m.record_plain_consent_heading({}, o),
		sentences: [
			input.consent && input.consent.organisations.length > 0
				? m.record_plain_consent_yes({}, o)
				: input.consent
					? m.record_plain_consent_no({}, o)
					: m.record_consent_missing({}, o)
		],
		// One organisation a line: the labels are long, and a list reads easier than one long sentence.
		items: input.consent ? input.consent.organisations.map((value) => l.consentOrganisation(value)) : []
	});

	return { title: m.close_plain_title({ title: meeting.title }, o), blocks };
}

/** The perspectives that have words in them, with their writers' names, in the participants' order. */
export function writtenPerspectives(
	input: ExportInput
): Array<{ participantId: string; name: string; organisation: string; text: string; writtenBy: string[] }> {
	const plan = input.version.plan;
	const order = new Map(plan.participants.map((p, i) => [p.id, i]));
	return plan.perspectives
		.filter((p) => p.text.trim())
		.map((p) => {
			const person = plan.participants.find((q) => q.id === p.participantId);
			// Who else wrote it (the scribe, issue #21), as the server recorded it in the closed plan.
			const writtenBy = (p.writtenBy ?? []).map((w) => w.name ?? plan.participants.find((q) => q.id === w.participantId)?.name ?? '—');
			return { participantId: p.participantId, name: p.name ?? person?.name ?? '—', organisation: person?.organisation ?? '', text: p.text.trim(), writtenBy };
		})
		.sort((a, b) => (order.get(a.participantId) ?? Infinity) - (order.get(b.participantId) ?? Infinity));
}

/** The plain-language version as plain text (UTF-8), for the client's phone. */
export function plainText(input: ExportInput): string {
	const { title, blocks } = plainSummary(input);
	const lines = [title, '='.repeat(Math.min(title.length, 60)), ''];
	for (const block of blocks) {
		lines.push(block.heading, '-'.repeat(Math.min(block.heading.length, 60)));
		lines.push(...block.sentences);
		lines.push(...block.items.map((item) => `• ${item}`));
		lines.push('');
	}
	return lines.join('\n');
}

/**
 * For each organisation in the meeting that the client consented to share with (and only those), a
 * short excerpt to paste into its own client or patient records: the decisions, that organisation's
 * own actions and its own members' perspectives, the open questions, the work ability score, the
 * follow-up, the consent's scope, and the version's hash so the record can point to the shared plan.
 */
export function organisationExcerpts(input: ExportInput): Array<{ organisation: string; text: string }> {
	const { version, locale, meeting } = input;
	const plan = version.plan;
	const l = labelsFor(locale);
	const read = readPlanVersion(plan, locale);
	const o = { locale };
	const same = (a: string, b: string) => a.trim().toLocaleLowerCase('fi') === b.trim().toLocaleLowerCase('fi');
	const responsible = plan.responsibleWorker;

	const perspectives = writtenPerspectives(input);
	const openQuestions = plan.openQuestions.filter((q) => !q.resolved && q.text.trim());
	return consentedOrganisationsOf(plan, input.consent).map((organisation) => {
		const own = read.actions.filter(
			(action) => same(action.organisation, organisation) || same(read.byId.get(action.owner)?.organisation ?? '', organisation)
		);
		const lines = [
			m.close_excerpt_heading({ title: meeting.title, date: l.date(version.closedAt.slice(0, 10)) }, o),
			m.close_excerpt_version({ version: String(version.version), hash: version.hash.slice(0, 16) }, o),
			m.close_excerpt_participants({
				names: read.participants
					.map((p) => [l.person(p), l.roleAt(p.role, p.role === 'client' ? '' : p.organisation)].filter(Boolean).join(', '))
					.join('; ')
			}, o),
			m.close_excerpt_goals({}, o),
			...read.goals.map((goal) => `${goal.number}. ${goal.text.trim()}`),
			own.length > 0 ? m.close_excerpt_own_actions({ organisation }, o) : m.close_excerpt_no_own_actions({ organisation }, o),
			...own.map((action) => {
				const details = [action.ownerName, action.due ? l.date(action.due) : ''].filter(Boolean).join(', ');
				return `${action.number}. ${action.text.trim()}${details ? ` (${details})` : ''}`;
			}),
			...(read.actions.length > own.length ? [m.close_excerpt_other_actions({ count: String(read.actions.length - own.length) }, o)] : []),
			...perspectives
				.filter((p) => same(p.organisation, organisation))
				.map((p) => m.record_excerpt_perspective({ name: p.name, text: p.text }, o)),
			...(openQuestions.length > 0
				? [m.record_excerpt_open_questions({}, o), ...openQuestions.map((q, i) => `${i + 1}. ${q.text.trim()}`)]
				: []),
			m.record_excerpt_work_ability({ score: plan.workAbilityScore === null ? '—' : String(plan.workAbilityScore) }, o),
			...(responsible
				? [
						m.close_excerpt_responsible({
							name: [responsible.name, responsible.organisation].filter(Boolean).join(', '),
							mode: l.followUpMode(responsible.followUpMode),
							date: l.date(responsible.followUpDate)
						}, o)
					]
				: []),
			m.record_excerpt_consent({ scope: l.consentScope(input.consent) }, o)
		];
		return { organisation, text: lines.join('\n') };
	});
}

function ensureStop(text: string): string {
	return /[.!?…]$/.test(text) ? text : `${text}.`;
}

/**
 * "Recorded by X for <client>" (the scribe, issue #21 item 2) beside a client's answer someone else
 * recorded with them; the client's name from the plan's participants.
 */
export function recordedByText(plan: ExportInput['version']['plan'], by: { name: string | null } | undefined | null, locale: ExportInput['locale']): string | null {
	if (!by) return null;
	const client = plan.participants.find((p) => p.role === 'client');
	return m.scribe_recorded_by({ recorder: by.name ?? '—', name: client?.name ?? '—' }, { locale });
}
