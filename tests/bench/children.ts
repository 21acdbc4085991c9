/**
 * Server children, each in a process group of its own, so that the whole group can be killed; every
 * group still alive is killed when the benchmark exits, on error and on SIGINT/SIGTERM too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const benchDir = path.join(projectRoot, 'tests/bench');

const live = new Set<ChildProcess>();
let profileDir: string | undefined;

/** From now on, server children write a V8 CPU profile into `dir` when they exit. */
export function profileChildren(dir: string): void {
	profileDir = dir;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// already gone
	}
}

/** Kills every child group still alive. Synchronous, so it also works from an 'exit' handler. */
export function killAllChildren(): void {
	for (const child of live) killGroup(child, 'SIGKILL');
	live.clear();
}

let installed = false;
export function installCleanup(): void {
	if (installed) return;
	installed = true;
	process.on('exit', killAllChildren);
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.once(signal, () => {
			killAllChildren();
			process.exit(130);
		});
	}
}

/**
 * Stops a detached child spawned elsewhere (its own process group): SIGTERM to the group, SIGKILL after
 * `graceMs`. Until then the child is killed with the others if the benchmark exits.
 */
export async function killGroupOf(child: ChildProcess, graceMs = 5_000): Promise<void> {
	live.add(child);
	if (child.exitCode === null && child.signalCode === null) {
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		killGroup(child, 'SIGTERM');
		const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
		await exited;
		clearTimeout(timer);
	}
	live.delete(child);
}

/** Kills a detached child spawned elsewhere if the benchmark exits before it is stopped. */
export function adopt(child: ChildProcess): void {
	installCleanup();
	live.add(child);
	child.once('exit', () => live.delete(child));
}

export interface ServerChild {
	readonly pid: number;
	readonly process: ChildProcess;
	/** Resolves with the first capture group of the first stdout line matching `pattern`. */
	waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
	/** The last lines the child wrote to stderr (for error messages). */
	stderrTail(): string;
	/** SIGTERM to the group, then SIGKILL after `graceMs`; resolves once the child has exited. */
	stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `node <nodeArgs…>` in `cwd` (the project root unless told), with the benchmark probe preloaded (see probe.ts)
 * and garbage collection exposed to it.
 */
export function spawnNode(name: string, nodeArgs: string[], env: NodeJS.ProcessEnv, cwd = projectRoot): ServerChild {
	installCleanup();
	const probe = pathToFileURL(path.join(benchDir, 'probe.ts')).href;
	// One folder per child: each thread (the main one, tsx's loader) writes a profile of its own.
	const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', path.join(profileDir, `${name}-${Date.now()}`)] : [];
	const child = spawn(
		process.execPath,
		['--expose-gc', ...profile, '--import', 'tsx', '--import', probe, ...nodeArgs],
		{
			cwd,
			env: { ...process.env, ...env, BENCH_PARENT_PID: String(process.pid) },
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe']
		}
	);
	const pid = child.pid;
	if (pid === undefined) throw new Error(`${name}: could not spawn`);
	live.add(child);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	void exited.then(() => live.delete(child));

	const lines: string[] = [];
	const waiters = new Set<() => void>();
	let stdoutRest = '';
	child.stdout?.setEncoding('utf8');
	child.stdout?.on('data', (chunk: string) => {
		const parts = (stdoutRest + chunk).split('\n');
		stdoutRest = parts.pop() ?? '';
		lines.push(...parts);
		if (lines.length > 1000) lines.splice(0, lines.length - 1000);
		for (const wake of waiters) wake();
	});
	let stderr = '';
	child.stderr?.setEncoding('utf8');
	child.stderr?.on('data', (chunk: string) => {
		stderr = (stderr + chunk).slice(-4000);
	});

	return {
		pid,
		process: child,
		stderrTail: () => stderr.trim(),
		waitForLine(pattern, timeoutMs) {
			return new Promise((resolve, reject) => {
				const check = () => {
					for (const line of lines) {
						const match = pattern.exec(line);
						if (match) {
							done();
							resolve(match[1] ?? match[0]);
							return;
						}
					}
					if (child.exitCode !== null || child.signalCode !== null) {
						done();
						reject(new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}:\n${stderr.trim()}`));
					}
				};
				const timer = setTimeout(() => {
					done();
					reject(new Error(`${name} printed no ${pattern} within ${timeoutMs} ms:\n${stderr.trim()}`));
				}, timeoutMs);
				const onExit = () => check();
				const done = () => {
					clearTimeout(timer);
					waiters.delete(check);
					child.off('exit', onExit);
				};
				waiters.add(check);
				child.once('exit', onExit);
				check();
			});
		},
		async stop(graceMs = 5_000) {
			killGroup(child, 'SIGTERM');
			const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
			await exited;
			clearTimeout(timer);
			// The group may hold more than the child (it should not): make sure nothing is left.
			try {
				process.kill(-pid, 'SIGKILL');
			} catch {
				// the group is gone
			}
			live.delete(child);
		}
	};
}
