/**
 * Control characters never leave the server in an export (issue #20 item 8). A name, a contact or a
 * goal is typed by a participant; a bare CR, a NUL, an ESC or a C1 code in it would reach an
 * organisation's record system, a calendar (a bare CR ends an iCalendar content line early, so a
 * name could forge a property) or a terminal as if it were structure. So every string of an export's
 * input passes through one function, at one boundary (`exportInput`, and `Closing.close` so the
 * hashed plan itself is clean): the builders never see a control character and need no per-field care.
 *
 * What stays: TAB and LF in multi-line text (a goal, an action, the client's words, a note), which
 * every format carries escaped or as a line break. Line breaks of any other spelling (CRLF, bare CR,
 * NEL U+0085, LINE/PARAGRAPH SEPARATOR U+2028/U+2029) become LF there. In single-line fields (a
 * name, a role, an organisation, a contact, a title) every line break and TAB becomes one space, so
 * a name can never start a line of its own in the plain-text excerpt. The rest of C0, DEL and C1 are
 * removed.
 */

/** Keys whose values are multi-line text written in the document (docs/document-model.md). */
const multiLineKeys = new Set(['text', 'clientVoice', 'note', 'description']);

// Line breaks in every spelling: CRLF first, so it counts as one.
const lineBreaks = /\r\n|[\r\n\u0085\u2028\u2029]/g;
// C0 except TAB and LF, DEL, C1 (U+0085 is handled above as a line break).
// eslint-disable-next-line no-control-regex
const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** One string, cleaned for an export. `multiLine`: keep TAB and (normalised) LF. */
export function cleanExportText(value: string, multiLine: boolean): string {
	if (multiLine) return value.replace(lineBreaks, '\n').replace(controls, '');
	return value.replace(lineBreaks, ' ').replace(/\t/g, ' ').replace(controls, '');
}

/**
 * Every string in `value`, deeply, cleaned; objects and arrays copied, everything else as is. A string
 * is multi-line when its own key is one of `multiLineKeys`, or when it sits in a goal's `gas` levels
 * (each level is a sentence of the client's own). Object keys are ids and level names, never free text.
 */
export function cleanExport<T>(value: T): T {
	return walk(value, false) as T;
}

function walk(value: unknown, multiLine: boolean): unknown {
	if (typeof value === 'string') return cleanExportText(value, multiLine);
	if (Array.isArray(value)) return value.map((item) => walk(item, multiLine));
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value).map(([key, item]) => [key, walk(item, multiLine || key === 'gas' || multiLineKeys.has(key))])
		);
	}
	return value;
}
