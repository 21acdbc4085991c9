import * as f from 'lib0/function';
import * as time from 'lib0/time';
import type { Awareness } from 'y-protocols/awareness';
import type { AwarenessEntry } from './messages.js';

/**
 * `applyAwarenessUpdate` of y-protocols for entries already decoded: the same states, the same
 * records (`meta`) and the same `change` and `update` events, rule for rule.
 *
 * The server decodes every awareness message once to check it and to put its own record of the
 * participant in it (connection.ts). Handing the result to y-protocols meant encoding it again and
 * having y-protocols decode it again: a `JSON.stringify` and a `JSON.parse` of every state, on the
 * path every caret move takes. The equivalence is tested against y-protocols itself
 * (presence.test.ts), so an upgrade that changes its rules fails there.
 */
export function applyAwarenessEntries(awareness: Awareness, entries: readonly AwarenessEntry[], origin: unknown): void {
	const timestamp = time.getUnixTime();
	const added: number[] = [];
	const updated: number[] = [];
	const filteredUpdated: number[] = [];
	const removed: number[] = [];
	for (const entry of entries) {
		const { clientId, state } = entry;
		let clock = entry.clock;
		const clientMeta = awareness.meta.get(clientId);
		const prevState = awareness.states.get(clientId);
		const currClock = clientMeta === undefined ? 0 : clientMeta.clock;
		if (!(currClock < clock || (currClock === clock && state === null && awareness.states.has(clientId)))) continue;
		if (state === null) {
			// Never let a remote client remove the local state: announce it again with a newer clock.
			if (clientId === awareness.clientID && awareness.getLocalState() != null) clock++;
			else awareness.states.delete(clientId);
		} else {
			awareness.states.set(clientId, state);
		}
		awareness.meta.set(clientId, { clock, lastUpdated: timestamp });
		if (clientMeta === undefined && state !== null) {
			added.push(clientId);
		} else if (clientMeta !== undefined && state === null) {
			removed.push(clientId);
		} else if (state !== null) {
			if (!f.equalityDeep(state, prevState)) filteredUpdated.push(clientId);
			updated.push(clientId);
		}
	}
	if (added.length > 0 || filteredUpdated.length > 0 || removed.length > 0) {
		awareness.emit('change', [{ added, updated: filteredUpdated, removed }, origin]);
	}
	if (added.length > 0 || updated.length > 0 || removed.length > 0) {
		awareness.emit('update', [{ added, updated, removed }, origin]);
	}
}
