import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CloseCode } from '../../src/lib/protocol/close-codes.js';
import { MessageType, SyncMessageType } from '../../src/lib/protocol/yjs-messages.js';
import { encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate, parseMessage, ProtocolError } from './messages.js';

/** A frame made of varints and length-prefixed byte arrays, as y-websocket writes them. */
function frame(...parts: (number | Uint8Array)[]): Uint8Array {
	const encoder = encoding.createEncoder();
	for (const part of parts) {
		if (typeof part === 'number') encoding.writeVarUint(encoder, part);
		else encoding.writeVarUint8Array(encoder, part);
	}
	return encoding.toUint8Array(encoder);
}

function refusal(bytes: Uint8Array): { code: number; message: string } {
	try {
		parseMessage(bytes);
	} catch (error) {
		if (error instanceof ProtocolError) return { code: error.code, message: error.message };
		throw error;
	}
	throw new Error(`accepted ${JSON.stringify([...bytes])}`);
}

function docWithClientVoice(text: string): Y.Doc {
	const doc = new Y.Doc();
	doc.getText('clientVoice').insert(0, text);
	return doc;
}

/** A document holding a subdocument in a map, which the meeting document never does. */
function docWithSubdocument(): Y.Doc {
	const doc = new Y.Doc();
	doc.getMap('meta').set('liite', new Y.Doc());
	return doc;
}

function awarenessUpdateOf(state: unknown, clientId = 42, clock = 1): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 1);
	encoding.writeVarUint(encoder, clientId);
	encoding.writeVarUint(encoder, clock);
	encoding.writeVarString(encoder, JSON.stringify(state));
	return encoding.toUint8Array(encoder);
}

/**
 * A Yjs update that `Y.decodeUpdate` reads without complaint but no document can apply: client 5 sets
 * `meta.a` twice, and the second entry's origin was changed to point at itself (clock 1 instead of 0).
 */
const selfReferentialUpdate = Uint8Array.from([
	1, 2, 5, 0, 33, 1, 4, 109, 101, 116, 97, 1, 97, 1, 168, 5, 1, 1, 125, 2, 1, 5, 1, 0, 1
]);

describe('parseMessage accepts what the stock y-websocket provider sends', () => {
	it('sync step 1 with the peer’s state vector', () => {
		const doc = docWithClientVoice('Hei, olen Aino Mäkelä');
		const message = parseMessage(encodeSyncStep1(doc));
		expect(message).toEqual({ type: 'sync-step-1', stateVector: Y.encodeStateVector(doc) });
	});

	it('sync step 1 of an empty document', () => {
		expect(parseMessage(encodeSyncStep1(new Y.Doc()))).toMatchObject({ type: 'sync-step-1' });
	});

	it('sync step 2 as an update carrying the peer’s missing state', () => {
		const doc = docWithClientVoice('Haluan takaisin töihin Åbossa');
		const message = parseMessage(encodeSyncStep2(doc));
		expect(message).toMatchObject({ type: 'update', update: Y.encodeStateAsUpdate(doc), empty: false });
	});

	it('an incremental update', () => {
		const doc = docWithClientVoice('Työkokeilu keväällä');
		const update = Y.encodeStateAsUpdate(doc);
		expect(parseMessage(encodeUpdate(update))).toMatchObject({ type: 'update', update, empty: false });
	});

	it('a delete-only update is not empty', () => {
		const doc = docWithClientVoice('Päivää');
		const before = Y.encodeStateVector(doc);
		doc.getText('clientVoice').delete(0, 2);
		const update = Y.encodeStateAsUpdate(doc, before);
		expect(parseMessage(encodeUpdate(update))).toMatchObject({ type: 'update', empty: false });
	});

	it('marks an update with nothing in it as empty (sync step 2 of an empty document)', () => {
		expect(parseMessage(encodeSyncStep2(new Y.Doc()))).toMatchObject({ type: 'update', empty: true });
	});

	it('an awareness update, with its entries decoded', () => {
		const doc = new Y.Doc();
		const awareness = new awarenessProtocol.Awareness(doc);
		awareness.setLocalState({ user: { name: 'Åsa Björklund', colour: '#ffaa00' } });
		const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
		const message = parseMessage(encodeAwareness(update));
		expect(message).toEqual({
			type: 'awareness',
			update,
			entries: [{ clientId: doc.clientID, clock: 1, state: { user: { name: 'Åsa Björklund', colour: '#ffaa00' } } }]
		});
		awareness.destroy();
	});

	it('an awareness update that removes a peer (state null)', () => {
		const message = parseMessage(encodeAwareness(awarenessUpdateOf(null, 7, 3)));
		expect(message).toMatchObject({ type: 'awareness', entries: [{ clientId: 7, clock: 3, state: null }] });
	});

	it('query awareness', () => {
		expect(parseMessage(frame(MessageType.QueryAwareness))).toEqual({ type: 'query-awareness' });
	});
});

describe('parseMessage refuses with a named close code', () => {
	it.each([
		['an empty frame', new Uint8Array()],
		['a message type whose varint never ends', Uint8Array.from([0x80])],
		['a message type longer than 53 bits', Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])],
		['a sync message without its sub-type', Uint8Array.from([MessageType.Sync])],
		['a sync sub-type whose varint never ends', Uint8Array.from([MessageType.Sync, 0x82])],
		['a sync update without its payload', Uint8Array.from([MessageType.Sync, SyncMessageType.Update])],
		['a payload length longer than the frame', Uint8Array.from([MessageType.Sync, SyncMessageType.Update, 5, 1, 2])],
		['a payload length whose varint never ends', Uint8Array.from([MessageType.Sync, SyncMessageType.Update, 0xff])],
		['an unknown sync sub-type', frame(MessageType.Sync, 3, new Uint8Array())],
		['a state vector that is not one', frame(MessageType.Sync, SyncMessageType.Step1, Uint8Array.from([3, 1]))],
		['an update of garbage', frame(MessageType.Sync, SyncMessageType.Update, Uint8Array.from([0xde, 0xad, 0xbe, 0xef]))],
		['sync step 2 of garbage', frame(MessageType.Sync, SyncMessageType.Step2, Uint8Array.from([9, 9, 9]))],
		['an update that decodes but cannot be applied', frame(MessageType.Sync, SyncMessageType.Update, selfReferentialUpdate)],
		[
			'trailing bytes after an update',
			Uint8Array.from([...encodeUpdate(Y.encodeStateAsUpdate(docWithClientVoice('Hei'))), 0])
		],
		['trailing bytes after sync step 1', Uint8Array.from([...encodeSyncStep1(new Y.Doc()), 7, 7])],
		['trailing bytes after query awareness', Uint8Array.from([MessageType.QueryAwareness, 0])],
		['an awareness message without its payload', Uint8Array.from([MessageType.Awareness])],
		['an awareness payload that is truncated', frame(MessageType.Awareness, Uint8Array.from([1, 42]))],
		['an awareness state that is not JSON', frame(MessageType.Awareness, frame(1, 42, 1, Uint8Array.from([123, 123])))],
		['an awareness state that is an array', encodeAwareness(awarenessUpdateOf(['Åsa']))],
		['an awareness state that is a string', encodeAwareness(awarenessUpdateOf('Väinö'))],
		['trailing bytes inside an awareness payload', encodeAwareness(Uint8Array.from([...awarenessUpdateOf({}), 1]))],
		['an update that adds a subdocument', encodeUpdate(Y.encodeStateAsUpdate(docWithSubdocument()))]
	])('%s → 4400 MalformedMessage', (_name, bytes) => {
		expect(refusal(bytes).code).toBe(CloseCode.MalformedMessage);
	});

	it.each([
		['auth (2), which this endpoint does not speak', frame(MessageType.Auth, 0)],
		['an unassigned type (4)', frame(4)],
		['a large type number', frame(99_999)],
		['an unknown type followed by anything', Uint8Array.from([0x2a, 1, 2, 3])]
	])('%s → 4415 UnsupportedMessageType', (_name, bytes) => {
		expect(refusal(bytes).code).toBe(CloseCode.UnsupportedMessageType);
	});

	it('explains the refusal in the error message', () => {
		expect(refusal(Uint8Array.from([MessageType.QueryAwareness, 0])).message).toMatch(/trailing bytes/);
		expect(refusal(frame(9)).message).toMatch(/message type 9/);
	});
});
