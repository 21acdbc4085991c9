import { m } from '$lib/paraglide/messages';
import type { Phase } from '$lib/protocol/agenda';
import { protocolLabels } from './labels';


const hints: Record<Phase, () => string> = {
	introductions: m.phase_introductions_hint,
	client_voice: m.phase_client_voice_hint,
	perspectives: m.phase_perspectives_hint,
	service_map: m.phase_service_map_hint,
	plan: m.phase_plan_hint,
	responsible_worker: m.phase_responsible_worker_hint,
	close: m.phase_close_hint
};

export const phaseName = (phase: Phase) => protocolLabels.phases[phase]();
export const phaseHint = (phase: Phase) => hints[phase]();

const sections: Record<string, () => string> = {
	clientVoice: m.section_client_voice,
	perspective: m.section_perspective,
	questions: m.section_questions,
	// Items of the map and the plan: `service:<id>`, `goal:<id>`, `action:<id>`.
	service: m.section_service_map,
	goal: m.section_goals,
	action: m.section_actions
};

/** The localized name of an awareness `section` (unknown sections are not shown). */
export const sectionName = (section: string) => {
	const key = Object.hasOwn(sections, section) ? section : section.split(':')[0]!;
	return Object.hasOwn(sections, key) ? sections[key]!() : null;
};
