import * as v from 'valibot';
import { helsinkiLocalToInstant } from '../time/helsinki.js';

/** Roles of a meeting's participants (GLOSSARY.md). A public contract: extend, never rename. */
export const participantRoles = [
	'client',
	'coordinator',
	'nurse',
	'social_worker',
	'doctor',
	'employment',
	'kela',
	'third_sector',
	'peer_supporter',
	'other'
] as const;
export type ParticipantRole = (typeof participantRoles)[number];

export const presences = ['room', 'remote'] as const;
export type Presence = (typeof presences)[number];

export const accessLevels = ['edit', 'view'] as const;
export type Access = (typeof accessLevels)[number];

export const accountRoles = ['coordinator', 'professional'] as const;
export type AccountRole = (typeof accountRoles)[number];

/** Organisations a client may consent to exchanging information between (as on Kela's form Y 100). */
export const consentOrganisations = [
	'health',
	'social',
	'employment',
	'kela',
	'education',
	'third_sector'
] as const;
export type ConsentOrganisation = (typeof consentOrganisations)[number];

/** The client's consent as the API and the room show it (docs/api.md, "Consent"). */
export interface ConsentScope {
	/** Empty: the client chose that nothing is shared ("not shared"), a valid answer, not a missing one. */
	organisations: ConsentOrganisation[];
	givenAt: string;
	/** Participant id of who recorded it: the client, or the coordinator with the client. */
	recordedBy: string;
	recordedByName: string | null;
}

/** `PUT /api/meetings/:id/consent`: the whole new scope; an empty list means nothing is shared. */
export const ConsentChange = v.object({
	organisations: v.pipe(v.array(v.picklist(consentOrganisations)), v.maxLength(consentOrganisations.length * 2))
});
export type ConsentChange = v.InferOutput<typeof ConsentChange>;

export const meetingLanguages = ['fi', 'sv', 'en'] as const;

const trimmed = (max: number) => v.pipe(v.string(), v.trim(), v.maxLength(max));
const required = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(max));

/** `POST /api/meetings/:id/participants` */
export const NewParticipant = v.object({
	name: required(100),
	role: v.picklist(participantRoles),
	organisation: v.optional(trimmed(100), ''),
	presence: v.picklist(presences),
	access: v.picklist(accessLevels),
	/** Add an existing account (a professional) instead of inviting by link. */
	userId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64)))
});
export type NewParticipant = v.InferOutput<typeof NewParticipant>;

/** The participants page's form for a guest, invited by a personal link (never an account's id). */
export const NewGuestForm = v.omit(NewParticipant, ['userId']);

/**
 * The participants page's form for a professional's account: the name is the account's. A client
 * joins by invitation, never with an account.
 */
export const NewAccountParticipantForm = v.object({
	...v.omit(NewParticipant, ['name', 'userId']).entries,
	userId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
	role: v.picklist(
		participantRoles.filter((role) => role !== 'client'),
		'invalid_choice'
	)
});

/** `POST /api/meetings` */
export const NewMeeting = v.object({
	title: required(200),
	/** Local date and time, `YYYY-MM-DDTHH:mm` (Europe/Helsinki) or an ISO timestamp. */
	scheduledAt: v.optional(
		v.union([v.literal(''), v.pipe(v.string(), v.maxLength(40), v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/))]),
		''
	),
	place: v.optional(trimmed(200), ''),
	// Only web links: a `javascript:` or `data:` link would run in the page of whoever opens it.
	remoteLink: v.optional(
		v.union([v.literal(''), v.pipe(v.string(), v.trim(), v.maxLength(500), v.url(), v.regex(/^https?:\/\//i))]),
		''
	),
	language: v.optional(v.picklist(meetingLanguages), 'fi')
});
export type NewMeeting = v.InferOutput<typeof NewMeeting>;

/**
 * The new meeting form (`/meetings/new`): the API's fields, except that the browser sends the
 * wall-clock time the coordinator picked (`YYYY-MM-DDTHH:mm`), which means Helsinki time; it becomes
 * the instant the API takes ($lib/time/helsinki); a date that does not exist is refused.
 */
export const NewMeetingForm = v.object({
	...NewMeeting.entries,
	scheduledAt: v.optional(
		v.union([
			v.literal(''),
			v.pipe(
				v.string(),
				v.maxLength(40, 'invalid_datetime'),
				v.transform((local) => helsinkiLocalToInstant(local)?.toISOString() ?? ''),
				v.minLength(1, 'invalid_datetime')
			)
		], 'invalid_datetime'),
		''
	),
	language: v.optional(v.union([v.pipe(v.literal(''), v.transform(() => 'fi' as const)), v.picklist(meetingLanguages)]), 'fi')
});

/** The shape of every JSON API error (docs/api.md). */
export interface ApiError {
	error: {
		code: string;
		message: string;
		issues?: Array<{ path: string; message: string }>;
		/** A 409 the meeting's state caused: `meeting_closed` (nothing changes after closing) or `meeting_not_closed`. */
		reason?: 'meeting_closed' | 'meeting_not_closed' | 'own_account' | 'last_coordinator';
	};
	/** `POST /api/meetings/:id/close`, 409: what the meeting still needs before it can close. */
	missing?: string[];
	/** `POST /api/meetings/:id/close`, 409: actions without an owner or a due date, to confirm first. */
	incompleteActions?: Array<{ id: string; number: number; text: string; missing: string[] }>;
}

/**
 * The invitation page's form (`/join/:token`): the name to show and, for the client, the consent
 * (the ticked organisations; none ticked is an answer too: nothing is shared). A value outside the
 * list is dropped: a consent never covers more than the client could tick.
 */
export const JoinForm = v.object({
	name: required(100),
	consent: v.pipe(
		v.array(v.string()),
		v.transform((values) => [...new Set(values.filter((value): value is ConsentOrganisation => (consentOrganisations as readonly string[]).includes(value)))])
	)
});
