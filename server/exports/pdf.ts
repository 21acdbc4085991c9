import PDFDocument from 'pdfkit';
import { serviceMonthsText } from '../../src/lib/i18n/services.js';
import { m } from '../../src/lib/paraglide/messages.js';
import { gasLevels } from '../../src/lib/meeting/vocabulary.js';
import { pdfFonts } from './fonts.js';
import { languageTag, labelsFor, signed, type Labels } from './labels.js';
import { drawServiceMap, measureServiceMap } from './pdf-map.js';
import { ratingOf, readPlanVersion, type ExportInput } from './model.js';
import { plainSummary, recordedByText, writtenPerspectives } from './texts.js';

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

const margin = 50;
const ink = '#1c1917';
const muted = '#44403c';

/**
 * The closed plan as a PDF made on the server: the whole plan for the organisations, or (`plain`)
 * the plain-language version for the client. A tagged PDF: headings, paragraphs, lists and the map
 * as a figure with a text alternative, the document language set and the title shown by readers.
 */
export function buildPdf(input: ExportInput, options: { plain?: boolean } = {}): Promise<Uint8Array> {
	const { version, meeting, locale } = input;
	const l = labelsFor(locale);
	const title = options.plain ? plainSummary(input).title : m.close_pdf_title({ title: meeting.title }, { locale });
	const doc = new PDFDocument({
		size: 'A4',
		margins: { top: margin, bottom: margin + 14, left: margin, right: margin },
		lang: languageTag[locale],
		tagged: true,
		displayTitle: true,
		bufferPages: true,
		info: {
			Title: title,
			Subject: m.close_pdf_subject({ version: String(version.version), hash: version.hash }, { locale }),
			Creator: 'Verkosto',
			Producer: 'Verkosto (PDFKit)',
			// The moment of closing: the same version always gives the same document.
			CreationDate: new Date(version.closedAt),
			ModDate: new Date(version.closedAt)
		}
	});
	const { regular, bold } = pdfFonts();
	doc.registerFont('regular', regular);
	doc.registerFont('bold', bold);
	doc.font('regular').fillColor(ink);

	const chunks: Buffer[] = [];
	const done = new Promise<Uint8Array>((resolve, reject) => {
		doc.on('data', (chunk: Buffer) => chunks.push(chunk));
		doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
		doc.on('error', reject);
	});

	const root = doc.struct('Document');
	doc.addStructure(root);
	const writer = new Writer(doc, root);
	if (options.plain) writePlain(writer, input);
	else writeFull(writer, input, l);
	root.end();
	footer(doc, input, l);
	doc.end();
	return done;
}

/** Tagged blocks of text that keep a heading with what follows it. */
class Writer {
	constructor(
		readonly doc: Doc,
		readonly root: Struct
	) {}

	get width() {
		return this.doc.page.width - margin * 2;
	}

	get bottom() {
		return this.doc.page.height - this.doc.page.margins.bottom;
	}

	/** Starts a new page unless `height` points still fit on this one. */
	keep(height: number) {
		if (this.doc.y + height > this.bottom) this.doc.addPage();
	}

	heading(text: string, level: 1 | 2 | 3, size?: number) {
		const fontSize = size ?? ({ 1: 19, 2: 14, 3: 11.5 } as const)[level];
		const { doc } = this;
		doc.font('bold').fontSize(fontSize);
		this.keep(doc.heightOfString(text, { width: this.width }) + 50);
		if (level > 1) doc.moveDown(0.6);
		this.root.add(doc.struct(`H${level}`, {}, () => doc.fillColor(ink).text(text, margin, doc.y, { width: this.width })));
		doc.moveDown(0.25);
		doc.font('regular');
	}

	paragraph(text: string, options: { size?: number; color?: string; bold?: boolean; indent?: number; gap?: number } = {}) {
		const { doc } = this;
		doc.font(options.bold ? 'bold' : 'regular').fontSize(options.size ?? 10);
		const indent = options.indent ?? 0;
		this.root.add(
			doc.struct('P', {}, () =>
				doc.fillColor(options.color ?? ink).text(text, margin + indent, doc.y, { width: this.width - indent, lineGap: options.gap ?? 1.5 })
			)
		);
		doc.font('regular').fillColor(ink);
	}

	/** A list whose items each have a first line (label and body) and optional detail lines. */
	list(items: Array<{ label: string; body: string; details?: string[] }>, options: { size?: number; gap?: number } = {}) {
		const { doc } = this;
		const size = options.size ?? 10;
		const list = doc.struct('L');
		this.root.add(list);
		for (const item of items) {
			doc.font('bold').fontSize(size);
			const labelWidth = Math.max(18, doc.widthOfString(item.label) + 6);
			doc.font('regular');
			const bodyWidth = this.width - labelWidth;
			const height =
				doc.heightOfString(item.body || ' ', { width: bodyWidth }) +
				(item.details ?? []).reduce((sum, line) => sum + doc.fontSize(size - 1).heightOfString(line, { width: bodyWidth }), 0);
			doc.fontSize(size);
			this.keep(Math.min(height, 120) + 4);
			const top = doc.y;
			const li = doc.struct('LI');
			list.add(li);
			li.add(doc.struct('Lbl', {}, () => doc.font('bold').fillColor(ink).text(item.label, margin, top, { width: labelWidth, lineBreak: false })));
			doc.y = top;
			// The body and each detail line are paragraphs of their own, so a reader keeps them apart.
			const body = doc.struct('LBody');
			li.add(body);
			body.add(
				doc.struct('P', {}, () =>
					doc.font('regular').fontSize(size).fillColor(ink).text(item.body || '—', margin + labelWidth, top, { width: bodyWidth, lineGap: options.gap ?? 1.5 })
				)
			);
			for (const line of item.details ?? []) {
				body.add(doc.struct('P', {}, () => doc.fontSize(size - 1).fillColor(muted).text(line, margin + labelWidth, doc.y, { width: bodyWidth, lineGap: 1 })));
			}
			body.end();
			li.end();
			doc.fillColor(ink).fontSize(size);
			doc.moveDown(0.45);
		}
		list.end();
	}
}

function writeFull(w: Writer, input: ExportInput, l: Labels) {
	const { version, meeting, locale, kind, evaluation } = input;
	const o = { locale };
	const plan = version.plan;
	const read = readPlanVersion(plan, locale);
	const { doc } = w;

	w.heading(meeting.title, 1);
	const kindLine = { first: m.close_kind_first, follow_up: m.close_kind_follow_up, closing: m.close_kind_closing }[kind]({}, o);
	w.paragraph(
		[kindLine, meeting.scheduledAt ? l.instant(meeting.scheduledAt) : '', meeting.place].filter(Boolean).join(' · '),
		{ size: 11 }
	);
	w.paragraph(
		m.close_pdf_version_line(
			{ version: String(version.version), closedAt: l.instant(version.closedAt), name: read.closedBy(version.closedBy) ?? '—' },
			o
		),
		{ size: 9, color: muted }
	);
	w.paragraph(`SHA-256: ${version.hash}`, { size: 7.5, color: muted });

	w.heading(m.close_participants_heading({}, o), 2);
	w.list(
		read.participants.map((p, i) => ({
			label: `${i + 1}.`,
			body: l.person(p),
			details: [l.roleAt(p.role, p.role === 'client' ? '' : p.organisation)]
		}))
	);

	w.heading(m.close_client_voice_heading({}, o), 2);
	w.paragraph(plan.clientVoice.trim() || m.close_not_written({}, o), { size: 10.5, gap: 2.5 });

	w.heading(m.record_work_ability_heading({}, o), 2);
	w.paragraph(
		plan.workAbilityScore === null
			? m.record_work_ability_none({}, o)
			: m.record_work_ability_score({ score: String(plan.workAbilityScore) }, o)
	);
	const workRecordedBy = recordedByText(plan, plan.workAbilityRecordedBy, locale);
	if (workRecordedBy) w.paragraph(workRecordedBy, { size: 9.5 });

	w.heading(m.record_perspectives_heading({}, o), 2);
	const perspectives = writtenPerspectives(input);
	if (perspectives.length === 0) w.paragraph(m.record_perspectives_none({}, o));
	w.list(
		perspectives.map((p, i) => {
			const person = read.byId.get(p.participantId);
			return {
				label: `${i + 1}.`,
				body: p.text,
				details: [
					[p.name, person ? l.roleAt(person.role, person.role === 'client' ? '' : person.organisation) : ''].filter(Boolean).join(', '),
					...p.writtenBy.map((writer) => m.scribe_written_by({ writer, name: p.name }, o))
				]
			};
		})
	);

	w.heading(m.record_open_questions_heading({}, o), 2);
	const questions = plan.openQuestions.filter((q) => q.text.trim());
	if (questions.length === 0) w.paragraph(m.record_open_questions_none({}, o));
	w.list(
		questions.map((q, i) => ({
			label: `${i + 1}.`,
			body: q.text.trim(),
			details: [q.resolved ? m.record_question_resolved({}, o) : m.record_question_open({}, o)]
		}))
	);

	w.heading(m.close_goals_heading({}, o), 2);
	if (read.goals.length === 0) w.paragraph(m.close_goals_none({}, o));
	w.list(
		read.goals.map((goal) => {
			const rating = ratingOf(evaluation, goal.id);
			const details: string[] = [m.close_goal_area({ area: l.goalArea(goal.area) }, o)];
			const scribe = plan.goalsWrittenFor?.find((g) => g.goalId === goal.id);
			if (scribe) details.push(m.scribe_written_by({ writer: scribe.writer.name ?? '—', name: scribe.for.name ?? '—' }, o));
			for (const level of gasLevels) {
				const description = goal.gas?.[level];
				if (description) details.push(`${signed(level)} ${l.gasLevel(level)}: ${description}`);
			}
			if (rating) {
				details.push(
					m.close_goal_rating({ client: rating.client === null ? '—' : signed(rating.client), worker: rating.worker === null ? '—' : signed(rating.worker) }, o)
				);
				const clientRecordedBy = recordedByText(plan, evaluation?.ratings.find((r) => r.goalId === goal.id)?.clientRecordedBy, locale);
				if (clientRecordedBy) details.push(clientRecordedBy);
			}
			return { label: `${goal.number}.`, body: goal.text.trim() || m.close_not_written({}, o), details };
		})
	);

	w.heading(m.close_actions_heading({}, o), 2);
	if (read.actions.length === 0) w.paragraph(m.close_actions_none({}, o));
	w.list(
		read.actions.map((action) => ({
			label: `${action.number}.`,
			body: action.text.trim() || m.close_not_written({}, o),
			details: [
				[
					m.close_action_who({ name: [action.ownerName, action.organisation].filter(Boolean).join(', ') || '—' }, o),
					m.close_action_due({ date: action.due ? l.date(action.due) : '—' }, o),
					l.actionStatus(action.status)
				].join(' · '),
				[
					action.goalNumber ? m.close_action_goal({ number: String(action.goalNumber) }, o) : '',
					action.service ? m.close_action_service({ name: action.service.name || m.close_unnamed_service({}, o) }, o) : ''
				]
					.filter(Boolean)
					.join(' · ')
			].filter(Boolean)
		}))
	);

	if (read.services.length === 0) {
		w.heading(m.close_map_heading({}, o), 2);
		w.paragraph(m.close_services_none({}, o));
	} else {
		const clientName = read.client?.name ?? m.close_map_client({}, o);
		const size = measureServiceMap(doc, read.services, w.width, l);
		const available = doc.page.height - doc.page.margins.top - doc.page.margins.bottom - 60;
		const scale = Math.min(1, available / size.height);
		// The heading stays with the map.
		w.keep(size.height * scale + 50);
		w.heading(m.close_map_heading({}, o), 2);
		const top = doc.y + 4;
		w.root.add(
			doc.struct('Figure', { alt: m.close_map_alt({ count: String(read.services.length), name: clientName }, o) }, () =>
				drawServiceMap(doc, read.services, clientName, l, { x: margin, y: top, width: w.width, scale })
			)
		);
		doc.x = margin;
		doc.y = top + size.height * scale + 8;
		w.paragraph(m.close_map_legend({}, o), { size: 8, color: muted });
		doc.moveDown(0.4);
		w.list(
			read.services.map((service, i) => ({
				label: `${i + 1}.`,
				body: service.name || m.close_unnamed_service({}, o),
				details: [
					[l.sector(service.sector), l.serviceStatus(service.status), m.close_service_tie({ tie: l.tie(service.tie) }, o)].join(' · '),
					serviceMonthsText(service, locale),
					[service.provider, service.contact].filter(Boolean).join(' · '),
					service.note
				].filter(Boolean)
			}))
		);
	}

	w.heading(m.close_responsible_heading({}, o), 2);
	const responsible = plan.responsibleWorker;
	if (!responsible) {
		w.paragraph(m.close_not_written({}, o));
	} else {
		w.paragraph([responsible.name, l.roleAt(responsible.role ?? '', responsible.organisation ?? '')].filter(Boolean).join(', '), {
			bold: true,
			size: 10.5
		});
		if (responsible.contact) w.paragraph(m.close_contact({ contact: responsible.contact }, o));
		w.paragraph(m.close_follow_up_line({ mode: l.followUpMode(responsible.followUpMode), date: l.date(responsible.followUpDate) }, o));
	}

	w.heading(m.record_consent_heading({}, o), 2);
	const consent = input.consent;
	w.paragraph(
		!consent
			? m.record_consent_missing({}, o)
			: consent.organisations.length === 0
				? m.record_consent_none({}, o)
				: m.record_consent_scope({ organisations: l.consentScope(consent) }, o),
		{ bold: true }
	);
	if (consent) {
		w.paragraph(m.record_consent_recorded({ date: l.instant(consent.givenAt), name: consent.recordedByName ?? '—' }, o), { size: 9, color: muted });
	}

	if (kind === 'closing' && evaluation) {
		w.heading(m.close_evaluation_heading({}, o), 2);
		const t = (score: number | null) => (score === null ? '—' : score.toFixed(1).replace('.', locale === 'en' ? '.' : ','));
		w.paragraph(m.close_tscore_line({ client: t(evaluation.tScore.client), worker: t(evaluation.tScore.worker) }, o));
		w.paragraph(
			m.close_work_ability_line(
				{
					baseline: evaluation.workAbility.baseline === null ? '—' : String(evaluation.workAbility.baseline),
					now: evaluation.workAbility.now === null ? '—' : String(evaluation.workAbility.now)
				},
				o
			)
		);
		w.paragraph(
			m.close_heard_line(
				{ answer: evaluation.heard ? { yes: m.close_heard_yes, partly: m.close_heard_partly, no: m.close_heard_no }[evaluation.heard]({}, o) : '—' },
				o
			)
		);
		const heardRecordedBy = recordedByText(plan, evaluation.heardRecordedBy, locale);
		if (heardRecordedBy) w.paragraph(heardRecordedBy, { size: 9.5 });
	}
}

function writePlain(w: Writer, input: ExportInput) {
	const { title, blocks } = plainSummary(input);
	w.heading(title, 1, 22);
	for (const block of blocks) {
		w.heading(block.heading, 2, 16);
		for (const sentence of block.sentences) {
			w.paragraph(sentence, { size: 13, gap: 4 });
			w.doc.moveDown(0.3);
		}
		if (block.items.length > 0) w.list(block.items.map((item) => ({ label: '•', body: item })), { size: 13, gap: 4 });
	}
}

/** Page numbers and the version on every page, marked as an artifact (not part of the reading order). */
function footer(doc: Doc, input: ExportInput, l: Labels) {
	const range = doc.bufferedPageRange();
	for (let i = range.start; i < range.start + range.count; i++) {
		doc.switchToPage(i);
		const bottom = doc.page.margins.bottom;
		// Writing below the bottom margin would start a new page.
		doc.page.margins.bottom = 0;
		doc.markContent('Artifact', { type: 'Pagination' });
		doc
			.font('regular')
			.fontSize(7.5)
			.fillColor(muted)
			.text(
				m.close_pdf_footer(
					{ version: String(input.version.version), hash: input.version.hash.slice(0, 12), page: String(i + 1), pages: String(range.count) },
					{ locale: l.locale }
				),
				margin,
				doc.page.height - margin + 8,
				{ width: doc.page.width - margin * 2, align: 'center', lineBreak: false }
			);
		doc.endMarkedContent();
		doc.page.margins.bottom = bottom;
	}
}
