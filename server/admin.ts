/**
 * The admin command line (a public contract: docs/admin.md).
 *
 *   npm run admin -- meeting create --title "…" [--coordinator <email>]
 *   npm run admin -- user add --email E --name N --role coordinator|professional   (password on stdin)
 *   npm run admin -- user disable --email E
 *   npm run admin -- user enable --email E
 *
 * Exit codes: 0 done, 1 failed, 2 usage error.
 */
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { accountRoles, type AccountRole } from '../src/lib/protocol/participants.js';
import { Accounts } from './accounts.js';
import { App } from './app.js';
import { AuditLog } from './audit.js';
import { createAuth } from './auth.js';
import { configFrom, databasePath } from './config.js';
import { LiveConnections } from './connections.js';
import { openDatabase, type Db } from './db/database.js';
import { DomainError } from './errors.js';
import { MeetingRepository } from './meetings.js';
import { ParticipantRepository } from './participants.js';
import { UserRepository } from './users.js';

const usage = `Usage:
  npm run admin -- meeting create --title "<title>" [--coordinator <email>]
  npm run admin -- user add --email <email> --name "<name>" --role coordinator|professional
                   (reads the password from standard input)
  npm run admin -- user disable --email <email>
                   (refused for the last active coordinator: last_coordinator)
  npm run admin -- user enable --email <email>
  npm run admin -- purge       deletes the meetings of service paths that ended more than
                               RETENTION_DAYS (default 90) days ago (docs/retention.md)

Environment: DATA_DIR (default ./data) names the folder of the SQLite database.
A running server on the same database closes a disabled account's live connections within a second.`;

class UsageError extends Error {}

function withDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
	const config = configFrom(process.env);
	const db = openDatabase(databasePath(config), { syncMode: config.syncMode });
	return work(db).finally(() => db.close());
}

async function readPassword(): Promise<string> {
	if (process.stdin.isTTY) {
		const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
		// Do not echo the password as it is typed.
		(rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
		process.stderr.write('Password: ');
		const answer = await new Promise<string>((resolve) => rl.question('', resolve));
		rl.close();
		process.stderr.write('\n');
		return answer;
	}
	const chunks: Buffer[] = [];
	for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function run(argv: string[]): Promise<string[]> {
	const [noun, verb, ...rest] = argv;
	if (noun === 'meeting' && verb === 'create') {
		const { values } = parseArgs({
			args: rest,
			options: { title: { type: 'string' }, coordinator: { type: 'string' } },
			strict: true
		});
		if (!values.title?.trim()) throw new UsageError('meeting create needs --title "<title>"');
		return withDb(async (db) => {
			const users = new UserRepository(db);
			const coordinator = values.coordinator ? users.findByEmail(values.coordinator) : undefined;
			if (values.coordinator && (!coordinator || coordinator.disabled || coordinator.role !== 'coordinator')) {
				throw new Error(`no active coordinator account with the email ${values.coordinator}`);
			}
			const meeting = db.transaction(() => {
				const created = new MeetingRepository(db).create({ title: values.title!, createdBy: coordinator?.id ?? null });
				if (coordinator) new ParticipantRepository(db).addCoordinator(created.id, { userId: coordinator.id, name: coordinator.name });
				return created;
			})();
			return [
				`Created meeting "${meeting.title}"${coordinator ? ` with ${coordinator.email} as its coordinator` : ''}.`,
				meeting.id
			];
		});
	}
	if (noun === 'user' && verb === 'add') {
		const { values } = parseArgs({
			args: rest,
			options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } },
			strict: true
		});
		if (!values.email || !values.name || !values.role) throw new UsageError('user add needs --email, --name and --role');
		if (!(accountRoles as readonly string[]).includes(values.role)) {
			throw new UsageError(`--role must be one of ${accountRoles.join(', ')}`);
		}
		const password = await readPassword();
		return withDb(async (db) => {
			const user = await new UserRepository(db).create({
				email: values.email!,
				name: values.name!,
				role: values.role as AccountRole,
				password
			});
			new AuditLog(db).record('user_created', { detail: { userId: user.id, role: user.role, via: 'admin' } });
			return [`Created ${user.role} account ${user.email}.`, user.id];
		});
	}
	if (noun === 'user' && verb === 'disable') {
		const { values } = parseArgs({ args: rest, options: { email: { type: 'string' } }, strict: true });
		if (!values.email) throw new UsageError('user disable needs --email');
		return withDb(async (db) => {
			const users = new UserRepository(db);
			const user = users.findByEmail(values.email!);
			if (!user) throw new Error(`no account with the email ${values.email}`);
			const accounts = new Accounts({ users, auth: createAuth(db), audit: new AuditLog(db), connections: new LiveConnections() });
			await accounts.disable(null, user.id);
			return [`Disabled ${user.email}; their sessions have ended.`];
		});
	}
	if (noun === 'user' && verb === 'enable') {
		const { values } = parseArgs({ args: rest, options: { email: { type: 'string' } }, strict: true });
		if (!values.email) throw new UsageError('user enable needs --email');
		return withDb(async (db) => {
			const users = new UserRepository(db);
			const user = users.findByEmail(values.email!);
			if (!user) throw new Error(`no account with the email ${values.email}`);
			const accounts = new Accounts({ users, auth: createAuth(db), audit: new AuditLog(db), connections: new LiveConnections() });
			accounts.enable(null, user.id);
			return [user.disabled ? `Enabled ${user.email}; they can sign in again.` : `${user.email} was not disabled; nothing changed.`];
		});
	}
	if (noun === 'purge' && verb === undefined) {
		const config = configFrom(process.env, { logLevel: 'warn' });
		const app = new App(config);
		try {
			const auditEvents = app.purgeAuditTrail();
			const deleted = await app.purgeExpired();
			return [
				`Deleted ${auditEvents} audit trail entr${auditEvents === 1 ? 'y' : 'ies'} older than ${config.auditRetentionDays} days (AUDIT_RETENTION_DAYS).`,
				`Deleted ${deleted.meetings} meeting(s) of ${deleted.paths} service path(s) that ended more than ${config.retentionDays} days ago ` +
					`(PATH_IDLE_DAYS ${config.pathIdleDays}).`
			];
		} finally {
			await app.close();
		}
	}
	if (noun === undefined || noun === 'help' || noun === '--help') return [usage];
	throw new UsageError(`unknown command: ${argv.join(' ')}`);
}

try {
	for (const line of await run(process.argv.slice(2))) console.log(line);
} catch (error) {
	if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
		console.error(`admin: ${error.message}\n\n${usage}`);
		process.exit(2);
	}
	const message = error instanceof DomainError || error instanceof Error ? error.message : String(error);
	// A refusal with a reason names it first, the same code the JSON API gives (docs/admin.md).
	const reason = error instanceof DomainError && error.detail.reason ? `${error.detail.reason}: ` : '';
	console.error(`admin: ${reason}${message}`);
	process.exit(1);
}
