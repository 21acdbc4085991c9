import { sql as initial } from './0001_initial.js';
import { sql as accounts } from './0002_accounts.js';
import { sql as room } from './0003_room.js';
import { sql as plan } from './0004_plan.js';
import { sql as close } from './0005_close.js';
import { sql as hashedSessions } from './0006_hashed_sessions.js';
import { sql as updatesByMeeting } from './0007_updates_by_meeting.js';
import { sql as revocationIndexes } from './0008_revocation_indexes.js';
import { sql as record } from './0009_record.js';
import { sql as chosenNames } from './0010_chosen_names.js';
import { sql as scribes } from './0011_scribes.js';
import { sql as recordedBy } from './0012_recorded_by.js';

export interface Migration {
	version: number;
	name: string;
	sql: string;
}

/**
 * Numbered migrations, applied in order at start-up. Append new ones; never edit one that has shipped.
 * They are TypeScript modules (not .sql files) so the bundled production server carries them.
 */
export const migrations: readonly Migration[] = [
	{ version: 1, name: 'initial', sql: initial },
	{ version: 2, name: 'accounts', sql: accounts },
	{ version: 3, name: 'room', sql: room },
	{ version: 4, name: 'plan', sql: plan },
	{ version: 5, name: 'close', sql: close },
	{ version: 6, name: 'hashed_sessions', sql: hashedSessions },
	{ version: 7, name: 'updates_by_meeting', sql: updatesByMeeting },
	{ version: 8, name: 'revocation_indexes', sql: revocationIndexes },
	{ version: 9, name: 'record', sql: record },
	{ version: 10, name: 'chosen_names', sql: chosenNames },
	{ version: 11, name: 'scribes', sql: scribes },
	{ version: 12, name: 'recorded_by', sql: recordedBy }
];
