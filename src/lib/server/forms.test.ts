import { describe, expect, it } from 'vitest';
import { FirstCoordinator, NewAccount, passwordMinLength, SignIn } from '$lib/protocol/accounts';
import { LanguageChoice } from '$lib/protocol/language';
import { JoinForm, NewAccountParticipantForm, NewGuestForm, NewMeetingForm } from '$lib/protocol/participants';
import { parseForm } from './forms.js';

/** A form as the browser posts it: repeated names are repeated entries (checkboxes). */
function form(fields: Record<string, string | string[] | File>): FormData {
	const data = new FormData();
	for (const [name, value] of Object.entries(fields)) {
		for (const one of Array.isArray(value) ? value : [value]) data.append(name, one);
	}
	return data;
}

const password = 'Sjöström-Åsa-2026';

describe('parseForm: a posted form, read by its protocol schema, refused field by field', () => {
	it('names every missing field of the sign-in form as required, and passes the input back', () => {
		const parsed = parseForm(SignIn, form({ email: '   ' }));
		expect(parsed).toMatchObject({ ok: false, errors: { email: 'required', password: 'required' } });
		expect(parsed.input).toEqual({ email: '   ', password: undefined });
	});

	it('says too long for an address no mailbox has', () => {
		const parsed = parseForm(SignIn, form({ email: `${'ä'.repeat(250)}@x.fi`, password }));
		expect(parsed).toMatchObject({ ok: false, errors: { email: 'too_long' } });
	});

	it('trims what it accepts', () => {
		expect(parseForm(SignIn, form({ email: ' aino.aijala@example.fi ', password }))).toMatchObject({
			ok: true,
			output: { email: 'aino.aijala@example.fi', password }
		});
	});

	it('uses the codes a form schema names: an invalid address, a password of the wrong length', () => {
		const parsed = parseForm(FirstCoordinator, form({ email: 'aino.example.fi', name: 'Aino Äijälä', password: 'lyhyt', password_confirm: 'lyhyt' }));
		expect(parsed).toMatchObject({ ok: false, errors: { email: 'invalid_email', password: 'password_length' } });
		// The mismatch is only worth saying once the password itself is fine.
		expect(parsed.ok || 'password_confirm' in parsed.errors).toBe(false);
		expect(parseForm(FirstCoordinator, form({ email: 'a@b.fi', name: 'Aino', password: '', password_confirm: '' }))).toMatchObject({
			ok: false,
			errors: { password: 'password_length' }
		});
	});

	it('refuses a confirmation that differs from the password', () => {
		const parsed = parseForm(FirstCoordinator, form({ email: 'a@b.fi', name: 'Åsa Sjöström', password, password_confirm: `${password}!` }));
		expect(parsed).toMatchObject({ ok: false, errors: { password_confirm: 'password_mismatch' } });
		expect(Object.keys(parsed.ok ? {} : parsed.errors)).toEqual(['password_confirm']);
		expect(parseForm(FirstCoordinator, form({ email: 'a@b.fi', name: ' Åsa ', password, password_confirm: password }))).toMatchObject({
			ok: true,
			output: { name: 'Åsa', password }
		});
		expect(password.length).toBeGreaterThanOrEqual(passwordMinLength);
	});

	it('refuses a role outside the list as an invalid choice, and a name over 100 characters as too long', () => {
		const parsed = parseForm(NewAccount, form({ email: 'a@b.fi', name: 'Ö'.repeat(101), role: 'admin', password }));
		expect(parsed).toMatchObject({ ok: false, errors: { name: 'too_long', role: 'invalid_choice' } });
	});

	it('turns the coordinator’s Helsinki wall-clock time into the instant, and refuses a day that does not exist', () => {
		const fields = { title: 'Verkostotapaaminen – Åsa S.', place: '', remoteLink: '', language: 'sv' };
		expect(parseForm(NewMeetingForm, form({ ...fields, scheduledAt: '2026-06-15T09:30' }))).toMatchObject({
			ok: true,
			output: { scheduledAt: '2026-06-15T06:30:00.000Z', language: 'sv' }
		});
		expect(parseForm(NewMeetingForm, form({ ...fields, scheduledAt: '2026-02-30T10:00' }))).toMatchObject({
			ok: false,
			errors: { scheduledAt: 'invalid_datetime' }
		});
		expect(parseForm(NewMeetingForm, form({ ...fields, scheduledAt: 'huomenna' }))).toMatchObject({
			ok: false,
			errors: { scheduledAt: 'invalid_datetime' }
		});
		expect(parseForm(NewMeetingForm, form({ ...fields, scheduledAt: '', language: '' }))).toMatchObject({
			ok: true,
			output: { scheduledAt: '', language: 'fi' }
		});
	});

	it('refuses a link that is not a web link as an invalid URL, and an empty title as required', () => {
		const parsed = parseForm(NewMeetingForm, form({ title: ' ', remoteLink: 'javascript:alert(1)' }), { remoteLink: 'invalid_url' });
		expect(parsed).toMatchObject({ ok: false, errors: { title: 'required', remoteLink: 'invalid_url' } });
	});

	it('reads checkboxes of one name as a list, without duplicates or values the page never offered', () => {
		expect(parseForm(JoinForm, form({ name: 'Åsa', consent: ['kela', 'health', 'kela', 'everyone'] }))).toMatchObject({
			ok: true,
			output: { name: 'Åsa', consent: ['kela', 'health'] }
		});
		expect(parseForm(JoinForm, form({ name: 'Åsa' }))).toMatchObject({ ok: true, output: { consent: [] } });
	});

	it('reads only the schema’s fields: a guest’s form cannot name an account', () => {
		const parsed = parseForm(
			NewGuestForm,
			form({ name: 'Elsa Öberg', role: 'other', organisation: '', presence: 'remote', access: 'view', userId: 'someone-else' })
		);
		expect(parsed.ok && parsed.output).toEqual({ name: 'Elsa Öberg', role: 'other', organisation: '', presence: 'remote', access: 'view' });
	});

	it('refuses to add an account as the client', () => {
		const parsed = parseForm(NewAccountParticipantForm, form({ userId: 'u1', role: 'client', organisation: '', presence: 'room', access: 'edit' }));
		expect(parsed).toMatchObject({ ok: false, errors: { role: 'invalid_choice' } });
	});

	it('reads a file posted where text belongs as empty text', () => {
		const parsed = parseForm(SignIn, form({ email: new File(['ä'], 'a.txt'), password }));
		expect(parsed).toMatchObject({ ok: false, errors: { email: 'required' } });
	});

	it('gives an optional field its default when it was not posted', () => {
		expect(parseForm(LanguageChoice, form({ locale: 'sv' }))).toMatchObject({ ok: true, output: { locale: 'sv', back: '' } });
		expect(parseForm(LanguageChoice, form({ locale: 'de', back: '/' }))).toMatchObject({ ok: false, errors: { locale: 'invalid_choice' } });
	});
});
