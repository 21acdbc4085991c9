/**
 * The admin command line (a public contract: docs/admin.md).
 *
 *   npm run admin -- meeting create --title "…"    prints the new meeting's id as its last line
 *
 * Exit codes: 0 done, 1 failed, 2 usage error.
 */
import { parseArgs } from 'node:util';
import { configFrom, databasePath } from './config.js';
import { openDatabase } from './db/database.js';
import { MeetingRepository } from './meetings.js';

const usage = `Usage:
  npm run admin -- meeting create --title "<title>"

Environment: DATA_DIR (default ./data) names the folder of the SQLite database.`;

class UsageError extends Error {}

function run(argv: string[]): string[] {
	const [noun, verb, ...rest] = argv;
	if (noun === 'meeting' && verb === 'create') {
		const { values } = parseArgs({ args: rest, options: { title: { type: 'string' } }, strict: true });
		if (!values.title?.trim()) throw new UsageError('meeting create needs --title "<title>"');
		const config = configFrom(process.env);
		const db = openDatabase(databasePath(config), { syncMode: config.syncMode });
		try {
			const meeting = new MeetingRepository(db).create({ title: values.title });
			return [`Created meeting "${meeting.title}".`, meeting.id];
		} finally {
			db.close();
		}
	}
	if (noun === undefined || noun === 'help' || noun === '--help') return [usage];
	throw new UsageError(`unknown command: ${argv.join(' ')}`);
}

try {
	for (const line of run(process.argv.slice(2))) console.log(line);
} catch (error) {
	if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
		console.error(`admin: ${error.message}\n\n${usage}`);
		process.exit(2);
	}
	console.error(`admin: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
}
