/**
 * The hostile-input fuzz for longer than CI runs it (docs/robustness.md):
 *
 *   npx tsx scripts/fuzz.ts --frames 1000000 --seed 42 [--connections 4] [--socket-packets 20000]
 *
 * Starts the real server (temporary SQLite) in this process, sends the generated Yjs frames over one
 * raw connection per meeting and the socket.io packets, then checks what tests/integration/fuzz.test.ts
 * checks: no crash, no unhandled rejection, only named refusals, every stored row readable and equal to
 * the live document, bounded presence, the plan readable, and every meeting loading again after a
 * restart on the same data folder. Exits 1 on any problem; prints the seed to reproduce it.
 */
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { maxAwarenessClientsPerPeer } from '../server/yjs/presence-ownership.js';
import { meetingWithCoordinator } from '../tests/helpers/people.js';
import { startServer } from '../tests/helpers/server.js';
import { connectProvider, synced } from '../tests/helpers/yjs-client.js';
import { fuzzSocketIo, fuzzYjs, verifyStored } from '../tests/integration/fuzzing.js';
import { prng, removeDir } from '../tests/integration/support.js';

const { values } = parseArgs({
	options: {
		frames: { type: 'string', default: '1000000' },
		seed: { type: 'string' },
		connections: { type: 'string', default: '4' },
		'socket-packets': { type: 'string' },
		keep: { type: 'boolean', default: false }
	}
});
const frames = Number(values.frames);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
const connections = Number(values.connections);
const socketPackets = Number(values['socket-packets'] ?? Math.ceil(frames / 50));
const maxMessageBytes = 64 * 1024;

const problems: string[] = [];
process.on('unhandledRejection', (reason) => problems.push(`unhandled rejection: ${String(reason)}`));
process.on('uncaughtException', (error) => problems.push(`uncaught exception: ${error.stack ?? String(error)}`));

const overrides = {
	maxMessageBytes,
	rateMessagesPerSecond: 1_000_000,
	rateBurst: 1_000_000,
	socketEventsPerSecond: 1_000_000,
	socketEventBurst: 1_000_000,
	unloadDelayMs: 100,
	compactAfterUpdates: 200
};
console.log(`fuzz: ${frames} frames over ${connections} connections, ${socketPackets} socket.io packets, seed ${seed}`);
const srv = await startServer(overrides);
const { meeting, coordinator } = await meetingWithCoordinator(srv.app, 'Fuzz: Väinö Äyräpää');
const meetingIds = [meeting.id];
for (let i = 1; i < connections; i++) {
	meetingIds.push(
		srv.app.participation.create(coordinator.principal, { title: `Fuzz ${i + 1}`, scheduledAt: '', place: '', remoteLink: '', language: 'fi' }).id
	);
}

const started = performance.now();
const report = await fuzzYjs({
	urls: meetingIds.map((id) => `${srv.yjsUrl}/${id}`),
	cookie: coordinator.cookie,
	frames,
	seed,
	maxMessageBytes,
	onProgress: (sent) => console.log(`  ${sent} frames, ${((performance.now() - started) / 1000).toFixed(0)} s`)
});
console.log(`Yjs: ${report.frames} frames in ${report.runs} runs over ${report.connections} connections, ${((performance.now() - started) / 1000).toFixed(1)} s`);
for (const [kind, { sent, verdicts }] of Object.entries(report.hostile)) console.log(`  ${kind}: ${sent} → ${JSON.stringify(verdicts)}`);
problems.push(...report.failures);

const sockets = await fuzzSocketIo(srv.url, coordinator.cookie, meeting.id, prng(seed ^ 0x50c4e7), socketPackets);
console.log(`socket.io: ${sockets.packets} packets over ${sockets.connections} connections; acks ${JSON.stringify(sockets.ackCodes)}`);
problems.push(...sockets.failures);

const stateVectors = new Map<string, string>();
for (const id of meetingIds) {
	const live = srv.app.documents.get(id);
	if (live && live.awareness.meta.size > (report.connections + 1) * maxAwarenessClientsPerPeer) {
		problems.push(`${id}: ${live.awareness.meta.size} awareness records after ${report.connections} connections`);
	}
	const { problems: found, doc } = await verifyStored(srv.app, id);
	problems.push(...found);
	stateVectors.set(id, Buffer.from(Y.encodeStateVector(doc)).toString('base64'));
}

// Stop (every document compacts as it unloads), start again on the same folder, load every meeting.
await srv.close();
const again = await startServer({ ...overrides, dataDir: srv.dataDir });
for (const id of meetingIds) {
	const { doc, provider } = connectProvider(again.yjsUrl, id, new Y.Doc(), { cookie: coordinator.cookie });
	const loaded = await Promise.race([synced(provider).then(() => true), new Promise((resolve) => setTimeout(resolve, 10_000, false))]);
	if (!loaded) problems.push(`${id}: the meeting does not load after a restart`);
	else if (Buffer.from(Y.encodeStateVector(doc)).toString('base64') !== stateVectors.get(id)) {
		problems.push(`${id}: after a restart the meeting is not what was stored before it`);
	}
	provider.destroy();
}
await again.close();
if (!values.keep) removeDir(srv.dataDir);

if (problems.length > 0) {
	console.error(`${problems.length} problems (seed ${seed}):\n${problems.slice(0, 50).join('\n')}`);
	process.exit(1);
}
console.log(`no problems (seed ${seed})`);
process.exit(0);
