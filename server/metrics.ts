import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DocumentRegistry } from './yjs/documents.js';

/** The app's Prometheus metrics, on a registry of its own (never prom-client's global one). */
export class Metrics {
	readonly registry = new Registry();
	readonly openConnections: Gauge;
	readonly updatesReceived: Counter;
	readonly storageWriteSeconds: Histogram;
	readonly updateRelaySeconds: Histogram;

	constructor(documents: () => DocumentRegistry) {
		this.openConnections = new Gauge({
			name: 'verkosto_open_connections',
			help: 'Open connections, by channel',
			labelNames: ['channel'],
			registers: [this.registry]
		});
		new Gauge({
			name: 'verkosto_loaded_documents',
			help: 'Meeting documents loaded in memory',
			registers: [this.registry],
			collect() {
				this.set(documents().size);
			}
		});
		new Gauge({
			name: 'verkosto_update_log_length',
			help: 'Updates in the stored logs of loaded documents, not yet compacted into snapshots',
			registers: [this.registry],
			collect() {
				let total = 0;
				for (const doc of documents().documents()) total += doc.logLength;
				this.set(total);
			}
		});
		this.updatesReceived = new Counter({
			name: 'verkosto_updates_received_total',
			help: 'Yjs updates received from peers',
			registers: [this.registry]
		});
		this.storageWriteSeconds = new Histogram({
			name: 'verkosto_storage_write_seconds',
			help: 'Time until an update is in the durable log (its group commit included)',
			buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25],
			registers: [this.registry]
		});
		this.updateRelaySeconds = new Histogram({
			name: 'verkosto_update_relay_seconds',
			help: "Time from an update's arrival to its relay to the other peers (queue, checks, durable append, apply)",
			buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
			registers: [this.registry]
		});
		collectDefaultMetrics({ register: this.registry, prefix: 'verkosto_' });
	}
}
