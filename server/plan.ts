import * as Y from 'yjs';
import { clientVoice } from '../src/lib/meeting/document.js';
import { readActions, readGoals } from '../src/lib/meeting/plan.js';
import { readOpenQuestions, readPerspectives } from '../src/lib/meeting/room.js';
import { readServices } from '../src/lib/meeting/services.js';
import type { ConsentRepository } from './consents.js';
import type { FollowUp } from './follow-up.js';
import type { Participant, ParticipantRepository } from './participants.js';
import type { Room } from './room.js';
import type { Scribes } from './scribes.js';
import type { DocumentRegistry } from './yjs/documents.js';

/** The plan as data: the live document's content and the server's decisions, for `GET …/plan`. */
export interface PlanJson {
	meetingId: string;
	phase: string;
	clientVoice: string;
	/**
	 * `writtenBy`: who else wrote in this perspective (the scribe, issue #21), as the server saw it;
	 * present only when someone did, so plans closed before it read as they were.
	 */
	perspectives: Array<{ participantId: string; name: string | null; text: string; writtenBy?: Array<{ participantId: string; name: string | null }> }>;
	openQuestions: Array<{ id: string; text: string; resolved: boolean }>;
	services: ReturnType<typeof readServices>;
	goals: ReturnType<typeof readGoals>;
	actions: Array<ReturnType<typeof readActions>[number] & { ownerName: string | null }>;
	responsibleWorker: {
		participantId: string;
		name: string | null;
		role: string | null;
		organisation: string | null;
		contact: string;
		followUpDate: string;
		followUpMode: 'visit' | 'call';
	} | null;
	workAbilityScore: number | null;
	/**
	 * Who recorded the work ability rating with the client, when not the client themself (the scribe,
	 * issue #21 item 2): "Recorded by X for <client>". Absent when the client recorded it or none is.
	 */
	workAbilityRecordedBy?: { participantId: string; name: string | null };
	/**
	 * Goals a scribe wrote for someone in "write for" mode (issue #21 item 2): absent when none, so
	 * plans closed before it read as they were.
	 */
	goalsWrittenFor?: Array<{ goalId: string; writer: { participantId: string; name: string | null }; for: { participantId: string; name: string | null } }>;
	/**
	 * The client's consent as it stood when the plan was read (at closing: as recorded in the version).
	 * `organisations` empty: nothing is shared. Null: not given (absent in versions closed before #19).
	 */
	consent?: { organisations: string[]; givenAt: string; recordedBy: string; recordedByName: string | null } | null;
	/** `name`: the coordinator's record; `chosenName`: a guest's own, present only when other (issue #20 item 8). */
	participants: Array<Pick<Participant, 'id' | 'name' | 'role' | 'organisation' | 'presence'> & { chosenName?: string }>;
}

type PlanDeps = {
	documents: DocumentRegistry;
	participants: ParticipantRepository;
	room: Room;
	followUp: FollowUp;
	consents: Pick<ConsentRepository, 'latest'>;
	/** Who wrote in whose perspective (server/scribes.ts); absent: nobody wrote for anyone. */
	scribes?: Pick<Scribes, 'list' | 'goals'>;
};

/** The content part of the plan, read from a Y.Doc through the document model. */
export function contentOf(doc: Y.Doc) {
	return {
		clientVoice: clientVoice(doc).toString(),
		perspectives: readPerspectives(doc),
		openQuestions: readOpenQuestions(doc),
		services: readServices(doc),
		goals: readGoals(doc),
		actions: readActions(doc)
	};
}

/** The plan from a document's content and the meeting's decisions. */
export function assemblePlan(meetingId: string, content: ReturnType<typeof contentOf>, deps: Omit<PlanDeps, 'documents'>): PlanJson {
	const participants = deps.participants.list(meetingId).filter((p) => !p.revoked);
	const byId = new Map(participants.map((p) => [p.id, p]));
	const responsible = deps.followUp.get(meetingId);
	const person = responsible ? byId.get(responsible.participantId) : undefined;
	const consent = deps.consents.latest(meetingId);
	const writtenFor = deps.scribes?.list(meetingId) ?? [];
	const workAbility = deps.followUp.workAbility(meetingId);
	// Named only when someone other than the client recorded it (the coordinator with the client).
	const recorder = workAbility ? deps.participants.list(meetingId).find((p) => p.id === workAbility.recordedBy) : undefined;
	const workAbilityRecorder = recorder && recorder.role !== 'client' ? recorder : undefined;
	const goalIds = new Set(content.goals.map((goal) => goal.id));
	const goalsWrittenFor = (deps.scribes?.goals(meetingId) ?? [])
		.filter((g) => goalIds.has(g.goalId))
		.map((g) => ({
			goalId: g.goalId,
			writer: { participantId: g.writerId, name: byId.get(g.writerId)?.name ?? null },
			for: { participantId: g.participantId, name: byId.get(g.participantId)?.name ?? null }
		}));
	const writersOf = (participantId: string) =>
		writtenFor.filter((w) => w.participantId === participantId).map((w) => ({ participantId: w.writerId, name: byId.get(w.writerId)?.name ?? null }));
	return {
		meetingId,
		phase: deps.room.decisions(meetingId).phase,
		clientVoice: content.clientVoice,
		perspectives: [...content.perspectives].map(([participantId, text]) => {
			const writtenBy = writersOf(participantId);
			return { participantId, name: byId.get(participantId)?.name ?? null, text, ...(writtenBy.length > 0 ? { writtenBy } : {}) };
		}),
		openQuestions: content.openQuestions.map(({ id, text, resolved }) => ({ id, text, resolved })),
		services: content.services,
		goals: content.goals,
		actions: content.actions.map((action) => ({ ...action, ownerName: byId.get(action.owner)?.name ?? null })),
		responsibleWorker: responsible && {
			participantId: responsible.participantId,
			name: person?.name ?? null,
			role: person?.role ?? null,
			organisation: person?.organisation ?? null,
			contact: responsible.contact,
			followUpDate: responsible.followUpDate,
			followUpMode: responsible.followUpMode
		},
		workAbilityScore: workAbility?.score ?? null,
		...(goalsWrittenFor.length > 0 ? { goalsWrittenFor } : {}),
		...(workAbilityRecorder ? { workAbilityRecordedBy: { participantId: workAbilityRecorder.id, name: workAbilityRecorder.name } } : {}),
		consent: consent
			? {
					organisations: consent.organisations,
					givenAt: consent.givenAt,
					recordedBy: consent.recordedBy,
					recordedByName: deps.participants.get(consent.recordedBy)?.name ?? null
				}
			: null,
		// A guest's own chosen name beside the record, only when there is one: a plan without any hashes as before.
		participants: participants.map(({ id, name, chosenName, role, organisation, presence }) => ({
			id,
			name,
			...(chosenName ? { chosenName } : {}),
			role,
			organisation,
			presence
		}))
	};
}

/** Reads the plan of a meeting from its document (live if loaded, else as stored) and its decisions. */
export async function readPlan(meetingId: string, deps: PlanDeps): Promise<PlanJson> {
	return assemblePlan(meetingId, await deps.documents.read(meetingId, contentOf), deps);
}
