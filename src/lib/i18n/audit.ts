import { m } from '../paraglide/messages.js';
import type { Locale } from '../paraglide/runtime.js';
import { isPhase } from '../protocol/agenda.js';
import { lookup, protocolLabels, type Label } from './labels.js';
import { vocabularyLabels } from './plan.js';

/**
 * The audit trail in words: the one table of action names and the one reading of an entry's
 * detail, for the audit page (the reader's language) and the CSV the client gets (the meeting's
 * language). The keys are `AuditAction` (server/audit.ts); a key missing here fails the unit test
 * that compares the two lists, and an unknown key (an older or newer server's) is shown as it is.
 */
const actions: Record<string, Label> = {
	setup: m.audit_action_setup,
	sign_in: m.audit_action_sign_in,
	sign_in_failed: m.audit_action_sign_in_failed,
	sign_out: m.audit_action_sign_out,
	user_created: m.audit_action_user_created,
	user_disabled: m.audit_action_user_disabled,
	user_enabled: m.audit_action_user_enabled,
	meeting_created: m.audit_action_meeting_created,
	meeting_viewed: m.audit_action_meeting_viewed,
	participant_added: m.audit_action_participant_added,
	participant_revoked: m.audit_action_participant_revoked,
	invite_issued: m.audit_action_invite_issued,
	invite_refused: m.audit_action_invite_refused,
	joined: m.audit_action_joined,
	left: m.audit_action_left,
	consent_recorded: m.audit_action_consent_recorded,
	export: m.audit_action_export,
	meeting_closed: m.audit_action_meeting_closed,
	follow_up_created: m.audit_action_follow_up_created,
	deleted: m.audit_action_deleted,
	audit_viewed: m.audit_action_audit_viewed,
	audit_downloaded: m.audit_action_audit_downloaded,
	phase_changed: m.audit_action_phase_changed,
	hand_raised: m.audit_action_hand_raised,
	hand_lowered: m.audit_action_hand_lowered,
	turn_given: m.audit_action_turn_given,
	hands_cleared: m.audit_action_hands_cleared,
	screen_pinned: m.screen_audit_pinned,
	screen_unpinned: m.screen_audit_unpinned,
	responsible_set: m.audit_action_responsible_set,
	work_ability_recorded: m.audit_action_work_ability_recorded,
	goal_rated: m.audit_action_goal_rated,
	heard_recorded: m.audit_action_heard_recorded,
	scribe_named: m.scribe_audit_scribe_named,
	scribe_removed: m.scribe_audit_scribe_removed,
	written_for: m.scribe_audit_written_for,
	invite_revoked: m.scribe_audit_invite_revoked,
	invite_opened: m.audit_action_invite_opened
};

/** The actions this table names (the unit test holds it to server/audit.ts). */
export const labelledAuditActions = Object.keys(actions);

const views: Record<string, Label> = {
	room: m.audit_view_room,
	screen: m.audit_view_screen,
	summary: m.audit_view_summary,
	history: m.audit_view_history,
	participants: m.audit_view_participants,
	meeting: m.audit_view_meeting,
	plan: m.audit_view_plan,
	diff: m.audit_view_diff,
	consent: m.audit_view_consent,
	evaluation: m.audit_view_evaluation,
	close: m.audit_view_close,
	snapshot: m.audit_view_snapshot,
	audit: m.audit_heading
};

const channels: Record<string, Label> = {
	page: m.audit_detail_channel_page,
	api: m.audit_detail_channel_api,
	yjs: m.audit_detail_channel_yjs,
	'socket.io': m.audit_detail_channel_socket,
	csv: m.audit_detail_channel_csv
};

const refusals: Record<string, Label> = {
	unknown: m.audit_reason_unknown,
	expired: m.audit_reason_expired,
	revoked: m.audit_reason_revoked,
	retention: m.audit_detail_reason_retention,
	coordinator: m.audit_detail_reason_coordinator
};


export const auditActionLabel = (action: string, locale?: Locale): string => lookup(actions, locale)(action);

/**
 * An entry's detail as lines of words: participant ids become the names given in `names`, codes
 * become labels. Keys without a reading (ids of versions, paths, goals) are left out: they mean
 * nothing to the client, and the trail keeps them for whoever investigates.
 */
export function describeAuditDetail(
	detail: Record<string, unknown> | null,
	names: Record<string, string>,
	locale?: Locale
): string[] {
	if (!detail) return [];
	const options = locale ? { locale } : {};
	const nameOf = (id: string) => names[id] ?? id;
	const lines: string[] = [];
	for (const [key, value] of Object.entries(detail)) {
		if (key === 'participantId' && typeof value === 'string') {
			lines.push(m.audit_detail_participant({ name: nameOf(value) }, options));
		} else if (key === 'responsible' && typeof value === 'string') {
			lines.push(m.audit_detail_responsible({ name: nameOf(value) }, options));
		} else if (key === 'subject' && typeof value === 'string') {
			lines.push(m.audit_detail_subject({ name: nameOf(value) }, options));
		} else if (key === 'role' && typeof value === 'string') {
			lines.push(m.audit_detail_role({ role: lookup(protocolLabels.roles, locale)(value) }, options));
		} else if (key === 'access' && typeof value === 'string') {
			lines.push(`${m.field_access({}, options)}: ${lookup(protocolLabels.accessLevels, locale)(value)}`);
		} else if (key === 'account' && typeof value === 'boolean') {
			lines.push(
				`${m.participants_joins_with({}, options)}: ${value ? m.participants_joins_account({}, options) : m.participants_joins_invite({}, options)}`
			);
		} else if (key === 'reissued' && value === true) {
			lines.push(m.audit_detail_reissued({}, options));
		} else if (key === 'channel' && typeof value === 'string') {
			lines.push(lookup(channels, locale)(value));
		} else if (key === 'view' && typeof value === 'string') {
			lines.push(m.audit_detail_view({ view: lookup(views, locale)(value) }, options));
		} else if (key === 'phase' && typeof value === 'string') {
			lines.push(m.audit_detail_phase({ phase: isPhase(value) ? protocolLabels.phases[value]({}, options) : value }, options));
		} else if (key === 'format' && typeof value === 'string') {
			lines.push(m.audit_detail_format({ format: value }, options));
		} else if (key === 'rater' && typeof value === 'string') {
			lines.push(value === 'client' ? m.audit_detail_rater_client({}, options) : m.audit_detail_rater_worker({}, options));
		} else if (key === 'scope' && value === 'path') {
			lines.push(m.audit_detail_scope_path({}, options));
		} else if (key === 'followUpMode' && typeof value === 'string') {
			lines.push(lookup(vocabularyLabels.followUpModes, locale)(value));
		} else if (key === 'reason' && typeof value === 'string') {
			lines.push(lookup(refusals, locale)(value));
		} else if (key === 'organisations' && Array.isArray(value)) {
			lines.push(
				value.length === 0
					? m.audit_detail_shares_none({}, options)
					: m.audit_detail_shares({ list: value.map((v) => lookup(protocolLabels.consentOrganisations, locale)(String(v))).join(', ') }, options)
			);
		}
	}
	return lines;
}
