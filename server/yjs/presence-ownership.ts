import * as awarenessProtocol from 'y-protocols/awareness';
import type { Awareness } from 'y-protocols/awareness';
import { CloseCode } from '../../src/lib/protocol/close-codes.js';
import type { Logger } from '../log.js';
import { ProtocolError, type AwarenessEntry } from './messages.js';
import { connectionOrigin } from './origins.js';
import type { Peer } from './peer.js';
import { applyAwarenessEntries } from './presence.js';

/** Awareness clients one connection may speak for (a stock provider announces one: its document's). */
export const maxAwarenessClientsPerPeer = 8;

/**
 * What an awareness entry from a peer is, as far as ownership goes:
 * - `own`: for a client this peer owns: applied, whatever it sets or removes;
 * - `claim`: for a client nobody owns, which this peer may take: it owns it from now on;
 * - `repeat`: changes nothing (the stock provider repeats every presence change it receives, and a
 *   removal of a client nobody owns removes nothing): dropped, not counted against the peer's budget;
 * - `foreign`: would set or remove the state of another peer's client: dropped, and the message
 *   counts against the sender's budget (docs/close-codes.md, "Limits").
 */
type Verdict = 'own' | 'claim' | 'repeat' | 'foreign';

/**
 * Who owns which awareness client id in one live document. The first state a connection sends for a
 * client nobody owns makes that client its own until the connection leaves, whatever its clock (also
 * the clock 0 a stock provider starts at, which Awareness itself does not take: before, such a client
 * had no owner and any peer could take it over, issue #20 item 8). No other connection may set or
 * remove its state; they go when the owning connection leaves.
 */
export class PresenceOwnership {
	readonly #owners = new Map<number, Peer>();
	readonly #awareness: Awareness;
	readonly #log: Logger;

	constructor(awareness: Awareness, log: Logger) {
		this.#awareness = awareness;
		this.#log = log;
	}

	ownerOf(clientId: number): Peer | undefined {
		return this.#owners.get(clientId);
	}

	/**
	 * True when a peer's awareness message would change nothing (each entry a repeat): dropped at the
	 * door without counting against the peer's limit, or a peer would be closed for the others' activity.
	 * `first` is true for the connection's first awareness message.
	 */
	onlyRepeats(peer: Peer, entries: readonly AwarenessEntry[], first: boolean): boolean {
		return entries.every((entry) => this.#verdict(peer, entry, first) === 'repeat');
	}

	/**
	 * Applies what of a peer's awareness message is its to make, and takes ownership of the clients it
	 * claims. Refuses the whole message (a ProtocolError, nothing applied) if the peer would own more
	 * than `maxAwarenessClientsPerPeer` clients.
	 */
	receive(peer: Peer, entries: readonly AwarenessEntry[], first: boolean): void {
		const accepted: AwarenessEntry[] = [];
		const claimed = new Set<number>();
		let foreign = 0;
		for (const entry of entries) {
			const verdict = this.#verdict(peer, entry, first);
			if (verdict === 'own') accepted.push(entry);
			else if (verdict === 'claim') {
				claimed.add(entry.clientId);
				accepted.push(first ? this.#returning(entry) : entry);
			} else if (verdict === 'foreign') foreign++;
		}
		if (foreign > 0) this.#log.debug({ peer: peer.id, entries: foreign }, "dropped awareness entries for another peer's clients");
		if (peer.awarenessClients.size + claimed.size > maxAwarenessClientsPerPeer) {
			// A stock provider speaks for one client; thousands in one message would be relayed to every peer.
			throw new ProtocolError(CloseCode.MalformedMessage, `awareness for more than ${maxAwarenessClientsPerPeer} clients`);
		}
		for (const clientId of claimed) {
			this.#owners.set(clientId, peer);
			peer.awarenessClients.add(clientId);
		}
		if (accepted.length > 0) applyAwarenessEntries(this.#awareness, accepted, connectionOrigin(peer));
	}

	/** Removes the states of a peer that leaves and forgets that it owned them (relayed as a removal). */
	release(peer: Peer): void {
		const clients = [...peer.awarenessClients];
		if (clients.length === 0) return;
		awarenessProtocol.removeAwarenessStates(this.#awareness, clients, connectionOrigin(peer));
		for (const clientId of clients) if (this.#owners.get(clientId) === peer) this.#owners.delete(clientId);
		peer.awarenessClients.clear();
	}

	#verdict(peer: Peer, entry: AwarenessEntry, first: boolean): Verdict {
		const owner = this.#owners.get(entry.clientId);
		if (owner === peer) return 'own';
		const seen = this.#awareness.meta.get(entry.clientId)?.clock;
		if (owner !== undefined) {
			// A repeat is of a state the server relayed (so it has a clock) and changes nothing; a
			// client claimed at clock 0 has had nothing relayed, so nobody can be repeating it.
			return seen !== undefined && !this.#wouldChange(entry, seen) ? 'repeat' : 'foreign';
		}
		// A removal of a client nobody owns changes nothing, but Awareness would keep a record of it
		// as long as the document is loaded: unbounded memory from one message.
		if (entry.state === null) return 'repeat';
		// A connection's first message announces its own client (the stock provider sends it on open,
		// before anything else). After that, only a state newer than the last one seen: the stock
		// provider repeats every presence change it receives, and a repeat of a client that has just
		// left must not bring it back as this peer's (tests/integration/fuzz.test.ts).
		if (first) return 'claim';
		return seen === undefined || entry.clock > seen ? 'claim' : 'repeat';
	}

	/** Whether Awareness would take the entry (the rule of `applyAwarenessEntries`, presence.ts). */
	#wouldChange(entry: AwarenessEntry, seen: number): boolean {
		return seen < entry.clock || (seen === entry.clock && entry.state === null && this.#awareness.states.has(entry.clientId));
	}

	/**
	 * A client coming back after its connection ended announces the clock it had, which the server and
	 * every peer have seen already: Awareness would ignore it until the client's next change (the stock
	 * provider renews every 15 s), so after a reconnect it would be missing from everyone's presence.
	 * Its return is news and gets the next clock (tests/integration/reconnect-storm.test.ts,
	 * server/yjs/presence.test.ts).
	 */
	#returning(entry: AwarenessEntry): AwarenessEntry {
		if (entry.state === null || this.#awareness.states.has(entry.clientId)) return entry;
		const seen = this.#awareness.meta.get(entry.clientId)?.clock;
		return seen !== undefined && seen >= entry.clock ? { ...entry, clock: seen + 1 } : entry;
	}
}
