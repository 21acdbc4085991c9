/**
 * A follow-up meeting starts with the previous responsible worker as a proposal the coordinator
 * confirms, not as a decision (issue #19): who, and their contact details, kept apart from the decision.
 */
export const sql = `
ALTER TABLE meetings ADD COLUMN proposed_responsible_participant_id TEXT;
ALTER TABLE meetings ADD COLUMN proposed_responsible_contact TEXT;
`;
