import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HeldWrites } from './held-writes.js';

const servers: Server[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
	for (const socket of sockets.splice(0)) socket.destroy();
	await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

/** A loopback TCP pair: what the server side receives is collected as text. */
async function pair(): Promise<{ socket: Socket; received: () => string }> {
	let text = '';
	let server!: Server;
	const accepted = new Promise<void>((resolve) => {
		server = createServer((incoming) => {
			sockets.push(incoming);
			incoming.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
			resolve();
		});
	});
	servers.push(server);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address() as { port: number };
	const socket = connect(address.port, '127.0.0.1');
	sockets.push(socket);
	await new Promise<void>((resolve) => socket.once('connect', resolve));
	await accepted;
	return { socket, received: () => text };
}

const afterCurrentWork = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('HeldWrites', () => {
	it("holds a socket's writes while the current work runs and lets them go once it is done", async () => {
		const { socket, received } = await pair();
		const held = new HeldWrites();
		const writes = held.for(socket);
		writes.hold(10);
		socket.write('Äänekoski ');
		await Promise.resolve(); // a microtask of the same work: still held
		writes.hold(10);
		socket.write('ja Åbo');
		expect(socket.writableCorked).toBe(1);
		expect(socket.writableLength).toBeGreaterThan(0);
		expect(held.size).toBe(1);

		await afterCurrentWork();
		expect(socket.writableCorked).toBe(0);
		expect(held.size).toBe(0);
		await expect.poll(received).toBe('Äänekoski ja Åbo');
	});

	it('lets a socket go at once rather than hold more than its limit, in order', async () => {
		const { socket, received } = await pair();
		const held = new HeldWrites(16);
		const writes = held.for(socket);
		writes.hold(6);
		socket.write('pieni ');
		writes.hold(20);
		expect(socket.writableCorked).toBe(0);
		socket.write('iso viesti, yli rajan');
		expect(held.size).toBe(0);
		writes.hold(20); // too large to hold at all
		expect(socket.writableCorked).toBe(0);
		socket.write(' ja toinen');
		await expect.poll(received).toBe('pieni iso viesti, yli rajan ja toinen');
	});

	it('holds a socket again after letting it go in the same batch, and lets it go once', async () => {
		const { socket, received } = await pair();
		const other = await pair();
		const held = new HeldWrites(16);
		const writes = held.for(socket);
		const otherWrites = held.for(other.socket);
		writes.hold(6);
		socket.write('Vöyri ');
		otherWrites.hold(6);
		other.socket.write('Närpes');
		writes.hold(20); // over the limit: let go
		socket.write('och Nykarleby ');
		writes.hold(6); // held again, in the same batch
		socket.write('på väg');
		expect(socket.writableCorked).toBe(1);
		expect(held.size).toBe(2);
		await afterCurrentWork();
		expect(socket.writableCorked).toBe(0);
		expect(other.socket.writableCorked).toBe(0);
		expect(held.size).toBe(0);
		await expect.poll(received).toBe('Vöyri och Nykarleby på väg');
		await expect.poll(other.received).toBe('Närpes');
	});

	it('holds what letting a socket go sets off, and lets that go too, before the next turn', async () => {
		const first = await pair();
		const second = await pair();
		const held = new HeldWrites();
		const secondWrites = held.for(second.socket);
		const firstWrites = held.for(first.socket);
		// A write that starts more work while the flush runs (a real socket's uncork, wrapped).
		const uncork = first.socket.uncork.bind(first.socket);
		let reentered = false;
		first.socket.uncork = () => {
			uncork();
			if (reentered) return;
			reentered = true;
			secondWrites.hold(5);
			second.socket.write('Borgå');
		};
		firstWrites.hold(7);
		first.socket.write('Porvoo ');
		await afterCurrentWork();
		expect(reentered).toBe(true);
		expect(first.socket.writableCorked).toBe(0);
		expect(second.socket.writableCorked).toBe(0);
		expect(held.size).toBe(0);
		await expect.poll(first.received).toBe('Porvoo ');
		await expect.poll(second.received).toBe('Borgå');
	});

	it('holds again in the next batch of work', async () => {
		const { socket, received } = await pair();
		const held = new HeldWrites();
		const writes = held.for(socket);
		writes.hold(10);
		socket.write('yksi ');
		await afterCurrentWork();
		writes.hold(10);
		socket.write('kaksi');
		expect(socket.writableCorked).toBe(1);
		await afterCurrentWork();
		expect(socket.writableCorked).toBe(0);
		await expect.poll(received).toBe('yksi kaksi');
	});

	it('lets an ended socket finish writing, and a destroyed one go without an error', async () => {
		const ending = await pair();
		const destroyed = await pair();
		const held = new HeldWrites();
		const endingWrites = held.for(ending.socket);
		const destroyedWrites = held.for(destroyed.socket);
		endingWrites.hold(10);
		destroyedWrites.hold(10);
		ending.socket.end('hei då');
		destroyed.socket.write('never sent');
		destroyed.socket.destroy();
		await afterCurrentWork();
		expect(held.size).toBe(0);
		await expect.poll(ending.received).toBe('hei då');
	});
});
