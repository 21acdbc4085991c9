import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { CachedAnswers } from './answers.js';
import { encodeAwareness, encodeSyncStep2Message } from './messages.js';

const emptyVector = Y.encodeStateVector(new Y.Doc());

const made: awarenessProtocol.Awareness[] = [];
// Awareness keeps a timer (its 30 s timeout check) until it is destroyed.
afterEach(() => {
	for (const awareness of made.splice(0)) awareness.destroy();
});

function setup() {
	const doc = new Y.Doc();
	const awareness = new awarenessProtocol.Awareness(doc);
	made.push(awareness);
	awareness.setLocalState(null);
	return { doc, awareness, answers: new CachedAnswers(doc, awareness) };
}

describe('CachedAnswers: encoded once per state, always what Yjs would encode now', () => {
	it('reuses the full state until the document changes, then encodes it again', () => {
		const { doc, answers } = setup();
		doc.getText('clientVoice').insert(0, 'Äijälä kertoo omin sanoin.');
		const first = answers.syncStep2(emptyVector);
		expect(first.message).toEqual(encodeSyncStep2Message(Y.encodeStateAsUpdate(doc)));
		// The same bytes, not a copy: nothing was encoded again; and charged once, not twice.
		const again = answers.syncStep2(emptyVector);
		expect(again.message).toBe(first.message);
		expect(again.cost).toBeLessThan(first.cost);

		doc.getText('clientVoice').insert(0, 'Sjöström: ');
		const changed = answers.syncStep2(emptyVector);
		expect(changed.message).not.toBe(first.message);
		expect(changed.message).toEqual(encodeSyncStep2Message(Y.encodeStateAsUpdate(doc)));
	});

	it('answers a non-empty state vector with the right diff, cached per vector and cleared on change', () => {
		const { doc, answers } = setup();
		const peer = new Y.Doc();
		doc.getMap('meta').set('schemaVersion', 1);
		Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
		doc.getText('clientVoice').insert(0, 'Åsa');
		const vector = Y.encodeStateVector(peer);
		const diff = answers.syncStep2(vector);
		expect(diff.message).toEqual(encodeSyncStep2Message(Y.encodeStateAsUpdate(doc, vector)));
		expect(answers.syncStep2(vector).message).toBe(diff.message);
		doc.getText('clientVoice').insert(3, ' Öhman');
		expect(answers.syncStep2(vector).message).toEqual(encodeSyncStep2Message(Y.encodeStateAsUpdate(doc, vector)));
	});

	it('an update whose structs wait for missing ones (no `update` event) still clears the answers', () => {
		const { doc, answers } = setup();
		const source = new Y.Doc();
		const updates: Uint8Array[] = [];
		source.on('update', (update: Uint8Array) => updates.push(update));
		source.getText('t').insert(0, 'a');
		source.getText('t').insert(1, 'b');
		const before = answers.syncStep2(emptyVector);
		// Only the second: it waits for the first, and Yjs keeps it pending.
		Y.applyUpdate(doc, updates[1]!);
		const after = answers.syncStep2(emptyVector);
		expect(after.message).not.toBe(before.message);
		expect(after.message).toEqual(encodeSyncStep2Message(Y.encodeStateAsUpdate(doc)));
	});

	it('reuses the presence answer until presence changes', () => {
		const { doc, awareness, answers } = setup();
		const remote = new awarenessProtocol.Awareness(new Y.Doc());
		made.push(remote);
		remote.setLocalState({ user: { name: 'Päivi Öhman' } });
		awarenessProtocol.applyAwarenessUpdate(awareness, awarenessProtocol.encodeAwarenessUpdate(remote, [remote.clientID]), 'peer');
		const clients = () => [...awareness.getStates().keys()];
		const first = answers.presence();
		expect(first.message).toEqual(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(awareness, clients())));
		expect(answers.presence().message).toBe(first.message);
		remote.setLocalStateField('cursor', { at: 3 });
		awarenessProtocol.applyAwarenessUpdate(awareness, awarenessProtocol.encodeAwarenessUpdate(remote, [remote.clientID]), 'peer');
		expect(answers.presence().message).toEqual(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(awareness, clients())));
		expect(answers.presence().message).not.toBe(first.message);
		doc.destroy();
	});

	it('reuses the snapshot until the document changes', () => {
		const { doc, answers } = setup();
		doc.getMap('meta').set('schemaVersion', 1);
		const first = answers.snapshot();
		expect(first).toEqual(Y.encodeSnapshot(Y.snapshot(doc)));
		expect(answers.snapshot()).toBe(first);
		doc.getMap('meta').delete('schemaVersion');
		expect(answers.snapshot()).toEqual(Y.encodeSnapshot(Y.snapshot(doc)));
	});
});
