/**
 * Deleted content leaves the disk (issue 20 item 6). Deleting a meeting removed its rows, and
 * SQLite's `secure_delete` zeroed them in the database file once a checkpoint copied the deletion
 * there, but the write-ahead log (`verkosto.sqlite-wal`) still held the pages as they were before:
 * the client's words and the participants' names stayed readable in the running server's files
 * until later writes happened to overwrite them. Here a real App with a real SQLite file gets
 * content through a real y-websocket client, the meeting is deleted (by the coordinator through
 * `DELETE /api/meetings/:id`, and by a retention purge with an injected `now`), and the raw bytes
 * of every file in DATA_DIR are searched for that content, while the server still runs and after
 * it has closed. Yjs stores strings as UTF-8 inside its updates, so a plain byte search finds them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { change, clientVoice } from '../../src/lib/meeting/index.js';
import { meetingWithCoordinator } from '../helpers/people.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { connectProvider, synced } from '../helpers/yjs-client.js';
import { closeAsCoordinator, eventually, planMeeting, words } from './plans.js';
import { removeDir } from './support.js';
import * as meetingRoute from '../../src/routes/api/meetings/[id]/+server.js';

/** The client's words: distinctive enough that no other byte sequence in the files matches. */
const secret = 'Äänekoski-salaisuus-Sjöström-123';
/** A participant's name (one who never signs in: the audit trail keeps the names of those who act). */
const participantName = 'Åsa Sjöström-Väänänen-456';

let servers: TestServer[] = [];
let providers: WebsocketProvider[] = [];

afterEach(async () => {
	for (const provider of providers.splice(0)) provider.destroy();
	for (const srv of servers.splice(0)) {
		await srv.close();
		removeDir(srv.dataDir);
	}
});

async function server(): Promise<TestServer> {
	// The checkpoint thread runs often, as it does under load: it must not keep the log from truncating.
	const srv = await startServer({ checkpointIntervalMs: 20, unloadDelayMs: 50 });
	servers.push(srv);
	return srv;
}

/** Every file SQLite keeps in DATA_DIR (`verkosto.sqlite`, `-wal`, `-shm`), read raw. */
function files(dataDir: string): Map<string, Buffer> {
	return new Map(fs.readdirSync(dataDir).map((name) => [name, fs.readFileSync(path.join(dataDir, name))]));
}

/** The files in which each text's UTF-8 bytes occur. */
function whereFound(dataDir: string, texts: readonly string[]): Record<string, string[]> {
	const found: Record<string, string[]> = {};
	for (const [name, bytes] of files(dataDir)) {
		for (const text of texts) {
			if (bytes.includes(Buffer.from(text, 'utf8'))) (found[text] ??= []).push(name);
		}
	}
	return found;
}

/** Writes the client's words through a real y-websocket client and waits until the files hold them. */
async function writeThroughProvider(srv: TestServer, meetingId: string, cookie: string, doc = new Y.Doc(), existing?: WebsocketProvider) {
	const provider = existing ?? connectProvider(srv.yjsUrl, meetingId, doc, { cookie }).provider;
	if (!existing) providers.push(provider);
	await synced(provider);
	change(doc, () => clientVoice(doc).insert(0, `${secret} `));
	await eventually(() => expect(whereFound(srv.dataDir, [secret])[secret]?.length ?? 0).toBeGreaterThan(0));
	return provider;
}

describe('after a deletion no byte of the content remains in DATA_DIR', () => {
	it('DELETE /api/meetings/:id: the client’s words and a participant’s name are gone from every file', async () => {
		const srv = await server();
		const { meeting, coordinator } = await meetingWithCoordinator(srv.app, 'Verkostotapaaminen – Åsa S.');
		srv.app.participation.addParticipant(coordinator.principal, meeting.id, {
			name: participantName,
			role: 'client',
			organisation: '',
			presence: 'remote',
			access: 'edit'
		});
		await writeThroughProvider(srv, meeting.id, coordinator.cookie);
		expect(Object.keys(whereFound(srv.dataDir, [secret, participantName])).sort()).toEqual([secret, participantName].sort());

		const url = new URL(`http://127.0.0.1:${srv.port}/api/meetings/${meeting.id}`);
		const response = await meetingRoute.DELETE({
			request: new Request(url, { method: 'DELETE' }),
			url,
			params: { id: meeting.id },
			locals: { app: srv.app, principal: coordinator.principal }
		} as never);
		expect(response.status).toBe(204);

		// While the server runs on: the deletion has answered, so the files are clean now.
		expect(whereFound(srv.dataDir, [secret, participantName])).toEqual({});
		// The server goes on writing other meetings, and the deletion stays complete.
		const other = await meetingWithCoordinator(srv.app, 'Nätverksmöte – Örjan');
		await writeThroughProvider(srv, other.meeting.id, other.coordinator.cookie);
		expect(whereFound(srv.dataDir, [participantName])).toEqual({});

		await srv.close();
		expect(whereFound(srv.dataDir, [participantName])).toEqual({});
	});

	it('a retention purge of an ended path: the plan, the client’s words and a participant’s name are gone', async () => {
		const srv = await server();
		const plan = await planMeeting(srv, { title: 'Verkostotapaaminen – Sjöström' });
		providers.push(plan.provider);
		srv.app.participation.addParticipant(plan.coordinator.principal, plan.meeting.id, {
			name: participantName,
			role: 'nurse',
			organisation: 'Sote-keskus',
			presence: 'remote',
			access: 'edit'
		});
		await writeThroughProvider(srv, plan.meeting.id, plan.coordinator.cookie, plan.doc, plan.provider);
		await closeAsCoordinator(srv, plan);
		const content = [secret, participantName, words.clientVoice, ...words.goals, ...words.actions];
		expect(Object.keys(whereFound(srv.dataDir, content)).sort()).toEqual([...content].sort());

		// Years later: the path ended long ago and its retention time has passed.
		const later = new Date(Date.now() + 5 * 365 * 24 * 60 * 60 * 1000);
		expect(await srv.app.purgeExpired(later)).toEqual({ paths: 1, meetings: 1 });

		expect(whereFound(srv.dataDir, content)).toEqual({});
		await srv.close();
		expect(whereFound(srv.dataDir, content)).toEqual({});
	});
});
