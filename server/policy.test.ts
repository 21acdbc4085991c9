import { describe, expect, it } from 'vitest';
import { abilityNames, meetingStates, type AbilityName } from '../src/lib/protocol/abilities.js';
import { accessLevels, participantRoles } from '../src/lib/protocol/participants.js';
import { abilitiesOf, refusalOf } from './policy.js';

/**
 * The rules' invariants, over every role × access × state. The whole table, cell by cell, is
 * tests/integration/abilities.test.ts; these say what must hold whatever the table's details.
 */
const everyCell = participantRoles.flatMap((role) => accessLevels.flatMap((access) => meetingStates.map((state) => ({ role, access, state }))));

/** What still works on a closed meeting: none of it changes the closed plan. */
const afterClose: AbilityName[] = ['read', 'export', 'viewAudit', 'revokeParticipant', 'startFollowUp', 'deleteMeeting'];

describe('abilitiesOf', () => {
	it('a closed meeting allows nothing that could change it, to anyone', () => {
		for (const { role, access } of everyCell) {
			const abilities = abilitiesOf(role, access, 'closed');
			for (const name of abilityNames.filter((n) => !afterClose.includes(n))) {
				expect(abilities[name], `${role}/${access}: ${name}`).toBe(false);
			}
		}
	});

	it('view access decides nothing and writes nothing: it reads, exports, and raises its own hand', () => {
		for (const { role, state } of everyCell.filter((cell) => cell.access === 'view')) {
			const granted = abilityNames.filter((name) => abilitiesOf(role, 'view', state)[name]);
			expect(granted.every((name) => ['read', 'export', 'raiseHand'].includes(name)), `${role}/${state}: ${granted.join(', ')}`).toBe(true);
		}
	});

	it('a deleted meeting allows nothing', () => {
		for (const { role, access } of everyCell) expect(Object.values(abilitiesOf(role, access, 'deleted')).some(Boolean)).toBe(false);
	});

	it('rating on either side is what `rateGoals` says', () => {
		for (const { role, access, state } of everyCell) {
			const a = abilitiesOf(role, access, state);
			expect(a.rateGoals).toBe(a.rateGoalsAsClient || a.rateGoalsAsWorker);
		}
	});
});

describe('refusalOf', () => {
	it('409 when the meeting’s state is the reason, 403 when the role or access is', () => {
		expect(refusalOf('coordinator', 'edit', 'closed', 'movePhase')).toMatchObject({ code: 'conflict', detail: { reason: 'meeting_closed' } });
		expect(refusalOf('client', 'view', 'closed', 'raiseHand')).toMatchObject({ code: 'conflict', detail: { reason: 'meeting_closed' } });
		expect(refusalOf('client', 'view', 'closed', 'answerHeard')).toMatchObject({ code: 'forbidden' });
		expect(refusalOf('nurse', 'edit', 'open', 'export')).toMatchObject({ code: 'conflict', detail: { reason: 'meeting_not_closed' } });
		expect(refusalOf('nurse', 'edit', 'open', 'movePhase')).toMatchObject({ code: 'forbidden' });
	});
});
