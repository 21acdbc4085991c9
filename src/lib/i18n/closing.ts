import { roleLabel } from '$lib/i18n/labels';
import { m } from '$lib/paraglide/messages';

const kinds: Record<'first' | 'follow_up' | 'closing', () => string> = {
	first: m.close_kind_first,
	follow_up: m.close_kind_follow_up,
	closing: m.close_kind_closing
};

/** "Network meeting", "Follow-up meeting", "Closing meeting"; an unknown kind reads as the first. */
export const meetingKindLabel = (kind: string): string => (Object.hasOwn(kinds, kind) ? kinds[kind as keyof typeof kinds]() : kinds.first());

/** "Kela" once, not "Kela, Kela", when a professional's organisation is named like their role. */
export function roleAt(role: string, organisation: string): string {
	const label = roleLabel(role);
	const same = organisation.trim().toLocaleLowerCase() === label.toLocaleLowerCase();
	return [label, same ? '' : organisation.trim()].filter(Boolean).join(', ');
}
