/**
 * Bad input on /yjs/<meetingId> gets a named close code and harms nothing: the document and its
 * update log stay as they were, the peers already in the meeting keep editing, the process lives.
 */
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../src/lib/protocol/close-codes.js';
import { MessageType, SyncMessageType } from '../../src/lib/protocol/yjs-messages.js';
import { startServer, type TestServer } from '../helpers/server.js';
import {
	Clients,
	signedInMeeting,
	openRaw,
	prng,
	removeDir,
	probe,
	stateVectorOf,
	storedRows,
	updateLogLength,
	type Outcome
} from './support.js';

const maxMessageBytes = 4096;

function frame(...parts: (number | Uint8Array)[]): Uint8Array {
	const encoder = encoding.createEncoder();
	for (const part of parts) {
		if (typeof part === 'number') encoding.writeVarUint(encoder, part);
		else encoding.writeVarUint8Array(encoder, part);
	}
	return encoding.toUint8Array(encoder);
}

function updateFrame(update: Uint8Array): Uint8Array {
	return frame(MessageType.Sync, SyncMessageType.Update, update);
}

/** A real update from a peer that is not in the meeting, inserting `text`. */
function textUpdate(text: string): Uint8Array {
	const doc = new Y.Doc();
	// A fixed client id, so the update's size depends on the text alone (a random id is a varint of
	// one to five bytes, and "just under the limit" missed the limit by one byte now and then).
	doc.clientID = 424242;
	doc.getText('clientVoice').insert(0, text);
	return Y.encodeStateAsUpdate(doc);
}

/**
 * Decodes with `Y.decodeUpdate` but no document can apply it: client 5 set `meta.a` twice and the
 * second entry's origin was changed to point at itself.
 */
const selfReferentialUpdate = Uint8Array.from([
	1, 2, 5, 0, 33, 1, 4, 109, 101, 116, 97, 1, 97, 1, 168, 5, 1, 1, 125, 2, 1, 5, 1, 0, 1
]);

let srv: TestServer;
let meetingId: string;
let otherMeetingId: string;
/** The coordinator's session: every probe is signed in, so only the frame decides the outcome. */
let cookie: string;
const clients = new Clients(() => srv.yjsUrl);
let a: ReturnType<Clients['connect']>;
let b: ReturnType<Clients['connect']>;
let edits = 0;

const meetingUrl = () => `${srv.yjsUrl}/${meetingId}`;
const voice = (doc: Y.Doc) => doc.getText('clientVoice');

beforeAll(async () => {
	srv = await startServer({ maxMessageBytes });
	const { meeting, coordinator } = await signedInMeeting(srv.app, clients, 'Verkostopalaveri, Eero Häkkinen');
	meetingId = meeting.id;
	cookie = coordinator.cookie;
	otherMeetingId = (await signedInMeeting(srv.app, clients, 'Nätverksmöte, Åsa Öhman')).meeting.id;
	a = await clients.connectSynced(meetingId);
	b = await clients.connectSynced(meetingId);
	voice(a.doc).insert(0, 'Haluaisin työkokeiluun kirjastoon. ');
	const services = a.doc.getMap<Y.Map<unknown>>('services');
	const service = new Y.Map<unknown>();
	services.set('s1', service);
	service.set('name', 'Työllisyyspalvelut, Jyväskylä');
	service.set('sector', 'employment');
	await vi.waitFor(() => expect(voice(b.doc).toString()).toContain('kirjastoon'));
	await vi.waitFor(() => expect(b.doc.getMap('services').toJSON()).toEqual(a.doc.getMap('services').toJSON()));
});

afterAll(async () => {
	clients.destroyAll();
	await srv?.close();
	if (srv) removeDir(srv.dataDir);
});

/**
 * Runs `attack`, expects every close code it returns to be one of `codes`, then checks that nothing
 * was harmed: stored rows byte-identical, documents (server and peers) unchanged, peers still edit,
 * the server still answers.
 */
async function expectHarmless(codes: Outcome['code'][], attack: () => Promise<Outcome[]>): Promise<Outcome[]> {
	const liveDoc = srv.app.documents.get(meetingId)!.doc;
	const before = {
		rows: storedRows(srv.app.db, meetingId),
		logLength: updateLogLength(srv.app.db),
		server: stateVectorOf(liveDoc),
		a: { sv: stateVectorOf(a.doc), json: a.doc.toJSON() },
		b: { sv: stateVectorOf(b.doc), json: b.doc.toJSON() }
	};

	const closes = await attack();
	expect(closes.length).toBeGreaterThan(0);
	for (const closed of closes) expect(codes).toContain(closed.code);

	expect(storedRows(srv.app.db, meetingId)).toEqual(before.rows);
	expect(updateLogLength(srv.app.db)).toBe(before.logLength);
	expect(srv.app.documents.get(meetingId)?.doc).toBe(liveDoc);
	expect(stateVectorOf(liveDoc)).toBe(before.server);
	expect({ sv: stateVectorOf(a.doc), json: a.doc.toJSON() }).toEqual(before.a);
	expect({ sv: stateVectorOf(b.doc), json: b.doc.toJSON() }).toEqual(before.b);

	// The peers already in the meeting did not notice, and keep working both ways.
	expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
	const fromA = `Muokkaus ${++edits} (Äänekoski).`;
	voice(a.doc).insert(voice(a.doc).length, fromA);
	await expect.poll(() => voice(b.doc).toString()).toContain(fromA);
	const fromB = `Redigering ${++edits} (Åbo).`;
	voice(b.doc).insert(0, fromB);
	await expect.poll(() => voice(a.doc).toString()).toContain(fromB);

	const health = await fetch(`${srv.url}/healthz`);
	expect(health.status).toBe(200);
	return closes;
}

/** Sends each frame on its own connection (the server closes after the first bad one), a few at a time. */
async function sendEach(frames: (Uint8Array | string)[], url = meetingUrl()): Promise<Outcome[]> {
	const outcomes: Outcome[] = [];
	for (let i = 0; i < frames.length; i += 16) {
		outcomes.push(...(await Promise.all(frames.slice(i, i + 16).map((f) => probe(url, f, cookie)))));
	}
	return outcomes;
}

describe('bad input on the Yjs endpoint', () => {
	it('random bytes (seeded, 200 frames) close with 4400 or 4415', async () => {
		const random = prng(0x5eed_2024);
		const frames = Array.from({ length: 200 }, () => {
			const bytes = new Uint8Array(1 + Math.floor(random() * 48));
			for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
			return bytes;
		});
		await expectHarmless([CloseCode.MalformedMessage, CloseCode.UnsupportedMessageType], () => sendEach(frames));
	});

	it('random Yjs payloads inside well-formed sync frames (seeded, 200 frames) close with 4400', async () => {
		// Yjs reads a payload that starts with two zero varints as an empty update and ignores the rest;
		// the server ignores empty updates, so those few keep the connection open and change nothing.
		const random = prng(0xa5a5);
		const frames = Array.from({ length: 200 }, (_, i) => {
			const payload = new Uint8Array(1 + Math.floor(random() * 40));
			// Small byte values make varints and struct headers that Yjs reads further into the payload.
			for (let j = 0; j < payload.length; j++) payload[j] = Math.floor(random() * (random() < 0.5 ? 8 : 256));
			return frame(MessageType.Sync, i % 2 === 0 ? SyncMessageType.Update : SyncMessageType.Step2, payload);
		});
		const outcomes = await expectHarmless([CloseCode.MalformedMessage, 'open'], () => sendEach(frames));
		expect(outcomes.filter((o) => o.code === CloseCode.MalformedMessage).length).toBeGreaterThan(190);
	});

	it('truncated varints close with 4400', async () => {
		await expectHarmless([CloseCode.MalformedMessage], () =>
			sendEach([
				Uint8Array.from([0x80]),
				Uint8Array.from([0xff, 0xff, 0xff]),
				Uint8Array.from([MessageType.Sync, 0x81]),
				Uint8Array.from([MessageType.Sync, SyncMessageType.Update, 0xff, 0xff]),
				Uint8Array.from([MessageType.Sync, SyncMessageType.Update, 20, 1, 2, 3]),
				Uint8Array.from([MessageType.Awareness, 0x90]),
				updateFrame(textUpdate('Kesken jäänyt lause')).slice(0, 12)
			])
		);
	});

	it('a sync update whose Yjs payload is garbage closes with 4400', async () => {
		await expectHarmless([CloseCode.MalformedMessage], () =>
			sendEach([
				updateFrame(Uint8Array.from([0xde, 0xad, 0xbe, 0xef])),
				frame(MessageType.Sync, SyncMessageType.Step2, Uint8Array.from([7, 7, 7, 7, 7])),
				frame(MessageType.Sync, SyncMessageType.Step1, Uint8Array.from([4, 1])),
				frame(MessageType.Sync, 9, new Uint8Array())
			])
		);
	});

	it('an update that decodes but cannot be applied closes with 4400 and is never logged', async () => {
		await expectHarmless([CloseCode.MalformedMessage], () =>
			sendEach([updateFrame(selfReferentialUpdate), frame(MessageType.Sync, SyncMessageType.Step2, selfReferentialUpdate)])
		);
	});

	it('an update whose item refers to a later clock of its own client closes with 4400 and is never logged', async () => {
		// Continues a's own client exactly where the live document stands, so the live document would
		// integrate it at once (an empty one keeps it pending): the item's left neighbour is a clock
		// that client has not written, which Y.applyUpdate throws on after the update was stored.
		const client = a.doc.clientID;
		const clock = Y.getState(srv.app.documents.get(meetingId)!.doc.store, client);
		const forward = (offset: number) => {
			const encoder = new Y.UpdateEncoderV1();
			encoding.writeVarUint(encoder.restEncoder, 1); // one client
			encoding.writeVarUint(encoder.restEncoder, 1); // one struct
			encoder.writeClient(client);
			encoding.writeVarUint(encoder.restEncoder, clock);
			const origin = Y.createID(client, clock + offset);
			new Y.Item(Y.createID(client, clock), null, origin, null, null, null, null, new Y.ContentString('ä')).write(encoder, 0);
			encoding.writeVarUint(encoder.restEncoder, 0); // no deletions
			return encoder.toUint8Array();
		};
		await expectHarmless([CloseCode.MalformedMessage], () => sendEach([updateFrame(forward(0)), updateFrame(forward(5))]));
	});

	it('deletions that are empty or out of order close with 4400 and are never logged', async () => {
		// Yjs keeps deletions of clocks it has not seen yet, re-encoded in a format that throws on an
		// empty range (after the update was stored) and garbles ranges out of order.
		const client = a.doc.clientID;
		const clock = Y.getState(srv.app.documents.get(meetingId)!.doc.store, client);
		const deletions = (...ranges: [number, number][]) => {
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, 0); // no structs
			encoding.writeVarUint(encoder, 1); // deletions of one client
			encoding.writeVarUint(encoder, client);
			encoding.writeVarUint(encoder, ranges.length);
			for (const [start, length] of ranges) {
				encoding.writeVarUint(encoder, start);
				encoding.writeVarUint(encoder, length);
			}
			return encoding.toUint8Array(encoder);
		};
		await expectHarmless([CloseCode.MalformedMessage], () =>
			sendEach([
				updateFrame(deletions([clock + 10, 0])),
				updateFrame(deletions([clock + 20, 2], [clock + 10, 2])),
				updateFrame(deletions([clock + 10, 5], [clock + 12, 5]))
			])
		);
	});

	it('a valid message followed by trailing bytes closes with 4400', async () => {
		await expectHarmless([CloseCode.MalformedMessage], () =>
			sendEach([
				Uint8Array.from([...updateFrame(textUpdate('Lisätavuja perässä')), 0]),
				Uint8Array.from([MessageType.QueryAwareness, 1, 2]),
				Uint8Array.from([...frame(MessageType.Sync, SyncMessageType.Step1, Y.encodeStateVector(new Y.Doc())), 0x42])
			])
		);
	});

	it('an awareness update that is not one closes with 4400', async () => {
		const bad = (state: string) => {
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, 1);
			encoding.writeVarUint(encoder, 77);
			encoding.writeVarUint(encoder, 1);
			encoding.writeVarString(encoder, state);
			return frame(MessageType.Awareness, encoding.toUint8Array(encoder));
		};
		await expectHarmless([CloseCode.MalformedMessage], () =>
			sendEach([bad('{"user": {"name": "Väinö"'), bad('["Åsa"]'), bad('42')])
		);
	});

	it('unknown message types close with 4415', async () => {
		await expectHarmless([CloseCode.UnsupportedMessageType], () =>
			sendEach([frame(MessageType.Auth, 0), frame(4), frame(127, 1, 2, 3), frame(300_000)])
		);
	});

	it('a text frame closes with 4415', async () => {
		await expectHarmless([CloseCode.UnsupportedMessageType], () => sendEach(['{"type":"update","text":"Hei Åsa"}', '']));
	});

	it(`a frame over the limit (${maxMessageBytes} bytes) closes with 1009`, async () => {
		const big = updateFrame(textUpdate('Pitkä kertomus työhistoriasta. '.repeat(200)));
		expect(big.byteLength).toBeGreaterThan(maxMessageBytes);
		await expectHarmless([CloseCode.MessageTooBig], () => sendEach([big, new Uint8Array(maxMessageBytes + 1)]));
	});

	it('a frame just under the limit is accepted and relayed', async () => {
		let text = 'Työkyvyn tuki. ' + 'x'.repeat(maxMessageBytes - 100);
		while (updateFrame(textUpdate(text + 'x')).byteLength <= maxMessageBytes) text += 'x';
		const message = updateFrame(textUpdate(text));
		expect(message.byteLength).toBe(maxMessageBytes);
		const peer = await openRaw(meetingUrl(), cookie);
		peer.ws.send(message);
		await expect.poll(() => voice(b.doc).toString()).toContain(text);
		peer.ws.close();
		await peer.closed;
	});

	it('an unknown meeting id closes with 4404 for a signed-in user and loads nothing', async () => {
		const unknown = 'eiOleOlemassa0123456789';
		await expectHarmless([CloseCode.MeetingNotFound], () => sendEach([frame(MessageType.QueryAwareness)], `${srv.yjsUrl}/${unknown}`));
		expect(srv.app.documents.get(unknown)).toBeUndefined();
		expect(updateLogLength(srv.app.db, unknown)).toBe(0);
	});

	it('without a session, an unknown and a known meeting id both close with 4401: nothing tells them apart', async () => {
		const unknown = 'eiOleOlemassa0123456789';
		await expectHarmless([CloseCode.Unauthenticated], async () => [
			await (await openRaw(`${srv.yjsUrl}/${unknown}`)).closed,
			await (await openRaw(meetingUrl())).closed
		]);
		expect(srv.app.documents.get(unknown)).toBeUndefined();
	});

	it('malformed meeting ids close with 4404', async () => {
		const ids = [
			'',
			encodeURIComponent('Tapaaminen Åbo'),
			'..%2F..%2Fverkosto.sqlite',
			'a'.repeat(65),
			'%E0%A4%A',
			`${meetingId}/extra`,
			`${meetingId}%00`
		];
		await expectHarmless([CloseCode.MeetingNotFound], async () => {
			const outcomes: Outcome[] = [];
			for (const id of ids) outcomes.push(...(await sendEach([frame(MessageType.QueryAwareness)], `${srv.yjsUrl}/${id}`)));
			return outcomes;
		});
		expect(srv.app.documents.size).toBe(1);
	});

	it('another meeting keeps working after all of the above', async () => {
		const c = await clients.connectSynced(otherMeetingId);
		const d = await clients.connectSynced(otherMeetingId);
		voice(c.doc).insert(0, 'Toinen tapaaminen: Öljymäen Kaarina.');
		await expect.poll(() => voice(d.doc).toString()).toBe('Toinen tapaaminen: Öljymäen Kaarina.');
		expect(voice(a.doc).toString()).not.toContain('Kaarina');
	});
});
