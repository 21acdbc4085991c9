/** Benchmark options: defaults, `--quick`, then environment variables (BENCH_*), then flags. */
import type { AwarenessMode, ClientKind } from './load.js';

export interface BenchOptions {
	meetings: number;
	clients: number;
	intervalMs: number;
	warmupS: number;
	windowS: number;
	drainS: number;
	rounds: number;
	servers: string[];
	awareness: AwarenessMode;
	client: ClientKind;
	seed: number;
	syncMode: 'normal' | 'full';
	quick: boolean;
	/** Rewrite the generated block of docs/performance.md with this run's figures. */
	writeDocs: boolean;
	/** Where the full results go as JSON. */
	out: string;
	/** Measure nothing: print (and with --write-docs, write) the report of this earlier results JSON. */
	render: string;
	/** Before each phase, wait up to `quietWaitS` for the machine to be less busy than `quietPercent`. */
	quietPercent: number;
	quietWaitS: number;
	/** A phase during which other processes used more than this (% of one core) is run again… */
	noiseLimit: number;
	/** …at most this many times; the least disturbed attempt is kept. */
	retries: number;
	/** Measure this commit of Verkosto (exported under tmp/bench/) instead of the working tree. */
	verkostoCommit: string;
	/** Measure the Verkosto code in this folder (another checkout) instead of the working tree. */
	verkostoDir: string;
	/** Write a V8 CPU profile of each server child to tmp/bench/profiles/ (node --cpu-prof). */
	profile: boolean;
	/**
	 * Sample, in each server child, what it allocates during each measured window that lives on into
	 * the old generation and is freed by a full collection (V8's sampling heap profiler), into
	 * tmp/bench/profiles/.
	 */
	heapProfile: boolean;
	/** What to measure: the load (K×M), joining with a long history, the room page in a browser. */
	parts: string[];
	/** Join: updates written into the meeting before a fresh client joins. */
	history: number;
	/** Join: timed joins, warm (document in memory) and cold (after an unload) each. */
	joins: number;
	/** Front end: the copy of the production build to serve (inside the project). */
	frontendBuild: string;
	/** Front end: counted page loads (one more, first, is not counted). */
	pageLoads: number;
}

export const parts = ['load', 'join', 'frontend'] as const;

const defaults: BenchOptions = {
	meetings: 100,
	clients: 8,
	intervalMs: 1000,
	warmupS: 10,
	windowS: 30,
	drainS: 3,
	rounds: 2,
	servers: ['verkosto', 'reference', 'hocuspocus'],
	awareness: 'edit',
	client: 'light',
	seed: 1,
	syncMode: 'normal',
	quick: false,
	writeDocs: true,
	out: 'tmp/bench/results.json',
	render: '',
	quietPercent: 25,
	quietWaitS: 120,
	noiseLimit: 35,
	retries: 2,
	verkostoCommit: '',
	verkostoDir: '',
	profile: false,
	heapProfile: false,
	parts: [...parts],
	history: 5_000,
	joins: 3,
	frontendBuild: 'tmp/bench/build',
	pageLoads: 5
};

const quick: Partial<BenchOptions> = {
	meetings: 10,
	clients: 4,
	warmupS: 1,
	windowS: 3,
	drainS: 1,
	rounds: 1,
	writeDocs: false,
	quietWaitS: 0,
	retries: 0,
	history: 400,
	joins: 1,
	pageLoads: 2
};

export const usage = `npm run bench -- [options]

  --quick              smoke run: 10 meetings × 4 clients, 1 s warm-up, 3 s window, 1 round; a history of
                       ${quick.history} updates and ${quick.joins} join; ${quick.pageLoads} page loads (about 1½ min)
  --parts a,b          what to measure (BENCH_PARTS, default ${defaults.parts.join(',')}):
                         load      K meetings × M clients editing, every server (latency, memory, CPU)
                         join      a fresh client joining a meeting with a long history, every server
                         frontend  the room page's JavaScript and time to interactive (Verkosto's build)
  --scale KxM          shorthand for --meetings K --clients M, e.g. --scale 500x8 (issue 8's full load;
                       BENCH_SCALE)
  --meetings K         meetings (BENCH_MEETINGS, default ${defaults.meetings})
  --clients M          clients per meeting (BENCH_CLIENTS, default ${defaults.clients}); also the number of
                       writers of the join's history
  --interval MS        mean time between one client's edits (BENCH_INTERVAL_MS, default ${defaults.intervalMs})
  --warmup S           seconds of load before measuring (BENCH_WARMUP_S, default ${defaults.warmupS})
  --window S           measurement window in seconds (BENCH_WINDOW_S, default ${defaults.windowS})
  --drain S            seconds to wait for late deliveries after the window (BENCH_DRAIN_S, default ${defaults.drainS})
  --rounds N           rounds; each runs every server once, order alternating (BENCH_ROUNDS, default ${defaults.rounds})
  --servers a,b        servers to run (BENCH_SERVERS, default ${defaults.servers.join(',')})
  --awareness MODE     edit | connect | off (BENCH_AWARENESS, default ${defaults.awareness})
  --client KIND        light | provider: what each simulated participant runs (BENCH_CLIENT, default
                       ${defaults.client}); see tests/bench/load.ts
  --seed N             seed of the edit schedule and content (BENCH_SEED, default ${defaults.seed})
  --sync MODE          Verkosto's SQLITE_SYNC, normal | full (BENCH_SYNC, default ${defaults.syncMode})
  --quiet-percent P    before each server, wait until the whole machine is less than P % busy
                       (BENCH_QUIET_PERCENT, default ${defaults.quietPercent}) …
  --quiet-wait S       … for at most S seconds, then go on and report it (BENCH_QUIET_WAIT_S,
                       default ${defaults.quietWaitS}, 0 with --quick)
  --noise-limit P      run a phase again if other processes used more than P % of one core during its
                       window (BENCH_NOISE_LIMIT, default ${defaults.noiseLimit}) …
  --retries N          … at most N times, keeping the least disturbed attempt (BENCH_RETRIES,
                       default ${defaults.retries}, 0 with --quick)
  --verkosto-commit REV
                       measure that commit of Verkosto (git archive into tmp/bench/) instead of the
                       working tree (BENCH_VERKOSTO_COMMIT)
  --history N          join: updates written before joining (BENCH_HISTORY, default ${defaults.history})
  --joins N            join: timed joins, warm and cold each (BENCH_JOINS, default ${defaults.joins})
  --frontend-build DIR front end: a copy of the production build, inside the project (BENCH_FRONTEND_BUILD,
                       default ${defaults.frontendBuild}); make it with
                       npm run build && rm -rf ${defaults.frontendBuild} && cp -r build ${defaults.frontendBuild}
  --page-loads N       front end: counted page loads, each in a fresh browser context (BENCH_PAGE_LOADS,
                       default ${defaults.pageLoads})
  --verkosto-dir DIR   measure the Verkosto checkout in DIR (with its node_modules) instead (BENCH_VERKOSTO_DIR)
  --out FILE           results JSON (BENCH_OUT, default ${defaults.out})
  --profile            write CPU profiles of each server child to tmp/bench/profiles/<server>-<time>/
                       (node --cpu-prof; one file per thread, the largest is the main thread);
                       summarize one with: npx tsx tests/bench/profile-summary.ts FILE
  --heap-profile       sample what each server allocates in each measured window that reaches the old
                       generation and dies there (V8's sampling heap profiler), into
                       tmp/bench/profiles/<server>-<phase>.heapprofile (implies --no-write-docs); summarize one with:
                       npx tsx tests/bench/heap-summary.ts FILE
  --render FILE        measure nothing: print the report of an earlier results JSON (with --write-docs,
                       write it into docs/performance.md)
  --write-docs / --no-write-docs
                       rewrite the generated part of docs/performance.md (default: on, off with --quick)
  --help`;

type Key = keyof BenchOptions;

const flags: Record<string, { key: Key; env: string; kind: 'int' | 'list' | 'string' }> = {
	'--meetings': { key: 'meetings', env: 'BENCH_MEETINGS', kind: 'int' },
	'--clients': { key: 'clients', env: 'BENCH_CLIENTS', kind: 'int' },
	'--interval': { key: 'intervalMs', env: 'BENCH_INTERVAL_MS', kind: 'int' },
	'--warmup': { key: 'warmupS', env: 'BENCH_WARMUP_S', kind: 'int' },
	'--window': { key: 'windowS', env: 'BENCH_WINDOW_S', kind: 'int' },
	'--drain': { key: 'drainS', env: 'BENCH_DRAIN_S', kind: 'int' },
	'--rounds': { key: 'rounds', env: 'BENCH_ROUNDS', kind: 'int' },
	'--servers': { key: 'servers', env: 'BENCH_SERVERS', kind: 'list' },
	'--awareness': { key: 'awareness', env: 'BENCH_AWARENESS', kind: 'string' },
	'--client': { key: 'client', env: 'BENCH_CLIENT', kind: 'string' },
	'--seed': { key: 'seed', env: 'BENCH_SEED', kind: 'int' },
	'--sync': { key: 'syncMode', env: 'BENCH_SYNC', kind: 'string' },
	'--quiet-percent': { key: 'quietPercent', env: 'BENCH_QUIET_PERCENT', kind: 'int' },
	'--quiet-wait': { key: 'quietWaitS', env: 'BENCH_QUIET_WAIT_S', kind: 'int' },
	'--noise-limit': { key: 'noiseLimit', env: 'BENCH_NOISE_LIMIT', kind: 'int' },
	'--retries': { key: 'retries', env: 'BENCH_RETRIES', kind: 'int' },
	'--verkosto-commit': { key: 'verkostoCommit', env: 'BENCH_VERKOSTO_COMMIT', kind: 'string' },
	'--verkosto-dir': { key: 'verkostoDir', env: 'BENCH_VERKOSTO_DIR', kind: 'string' },
	'--parts': { key: 'parts', env: 'BENCH_PARTS', kind: 'list' },
	'--history': { key: 'history', env: 'BENCH_HISTORY', kind: 'int' },
	'--joins': { key: 'joins', env: 'BENCH_JOINS', kind: 'int' },
	'--frontend-build': { key: 'frontendBuild', env: 'BENCH_FRONTEND_BUILD', kind: 'string' },
	'--page-loads': { key: 'pageLoads', env: 'BENCH_PAGE_LOADS', kind: 'int' },
	'--out': { key: 'out', env: 'BENCH_OUT', kind: 'string' },
	'--render': { key: 'render', env: 'BENCH_RENDER', kind: 'string' }
};

function convert(name: string, kind: 'int' | 'list' | 'string', raw: string): unknown {
	if (kind === 'int') {
		const value = Number(raw);
		if (!Number.isInteger(value) || value < 0) throw new Error(`${name} needs a non-negative integer, got ${JSON.stringify(raw)}`);
		return value;
	}
	if (kind === 'list') return raw.split(',').map((s) => s.trim()).filter(Boolean);
	return raw;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions | 'help' {
	if (argv.includes('--help') || argv.includes('-h')) return 'help';
	const options: Record<string, unknown> = { ...defaults, ...(argv.includes('--quick') || env.BENCH_QUICK === '1' ? { ...quick, quick: true } : {}) };
	const scale = (name: string, raw: string) => {
		const match = /^(\d+)x(\d+)$/.exec(raw.trim());
		if (!match) throw new Error(`${name} needs KxM, e.g. 500x8, got ${JSON.stringify(raw)}`);
		options.meetings = Number(match[1]);
		options.clients = Number(match[2]);
	};
	if (env.BENCH_SCALE) scale('BENCH_SCALE', env.BENCH_SCALE);
	for (const [, spec] of Object.entries(flags)) {
		const raw = env[spec.env];
		if (raw !== undefined && raw !== '') options[spec.key] = convert(spec.env, spec.kind, raw);
	}
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i] ?? '';
		if (arg === '--quick') continue;
		if (arg === '--profile') {
			options.profile = true;
			continue;
		}
		if (arg === '--heap-profile') {
			options.heapProfile = true;
			continue;
		}
		if (arg === '--scale' || arg.startsWith('--scale=')) {
			const raw = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
			if (raw === undefined) throw new Error('--scale needs a value');
			scale('--scale', raw);
			continue;
		}
		if (arg === '--write-docs' || arg === '--no-write-docs') {
			options.writeDocs = arg === '--write-docs';
			continue;
		}
		const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
		const spec = flags[name];
		if (!spec) throw new Error(`unknown option ${arg}\n\n${usage}`);
		const raw = inline ?? argv[++i];
		if (raw === undefined) throw new Error(`${name} needs a value`);
		options[spec.key] = convert(name, spec.kind, raw);
	}
	const result = options as unknown as BenchOptions;
	// The profiler slows the server it samples: such a run's figures never go into the docs.
	if (result.heapProfile) result.writeDocs = false;
	if (!['edit', 'connect', 'off'].includes(result.awareness)) throw new Error(`--awareness must be edit, connect or off`);
	if (result.client !== 'light' && result.client !== 'provider') throw new Error(`--client must be light or provider`);
	if (result.syncMode !== 'normal' && result.syncMode !== 'full') throw new Error(`--sync must be normal or full`);
	if (result.meetings < 1 || result.clients < 2) throw new Error('at least 1 meeting and 2 clients per meeting');
	if (result.meetings * result.clients > 5_000) throw new Error('at most 5,000 clients in one load generator');
	if (result.windowS < 1 || result.rounds < 1 || result.intervalMs < 50) throw new Error('window ≥ 1 s, rounds ≥ 1, interval ≥ 50 ms');
	for (const part of result.parts) {
		if (!(parts as readonly string[]).includes(part)) throw new Error(`--parts: unknown part ${part}; known: ${parts.join(', ')}`);
	}
	if (result.client === 'provider' && result.servers.includes('hocuspocus') && result.parts.includes('load')) {
		throw new Error('--client provider speaks y-websocket only; leave hocuspocus out (--servers verkosto,reference) or use the light client');
	}
	if (result.history < 1 || result.history > 100_000 || result.joins < 1 || result.joins > 20) throw new Error('history 1–100,000 updates, joins 1–20');
	if (result.pageLoads < 1 || result.pageLoads > 50) throw new Error('page loads 1–50');
	if (result.verkostoCommit && result.verkostoDir) throw new Error('give --verkosto-commit or --verkosto-dir, not both');
	if (result.quietWaitS > 1800) throw new Error('--quiet-wait ≤ 1800 s');
	if (result.retries > 5) throw new Error('--retries ≤ 5');
	if (result.warmupS > 600 || result.windowS > 600 || result.drainS > 60 || result.rounds > 10) {
		throw new Error('bounded: warm-up and window ≤ 600 s, drain ≤ 60 s, rounds ≤ 10');
	}
	return result;
}

/** The command line that reproduces a run with these options. */
export function commandFor(o: BenchOptions): string {
	if (o.quick) return 'npm run bench -- --quick';
	const command = ['npm run bench'];
	const extra: string[] = [];
	for (const [name, spec] of Object.entries(flags)) {
		if (['out', 'render'].includes(spec.key)) continue;
		const value = o[spec.key];
		if (value === undefined) continue;
		const fallback = defaults[spec.key];
		const same = Array.isArray(value) && Array.isArray(fallback) ? value.join(',') === fallback.join(',') : value === fallback;
		if (!same) extra.push(`${name} ${Array.isArray(value) ? value.join(',') : String(value)}`);
	}
	if (o.profile) extra.push('--profile');
	if (o.heapProfile) extra.push('--heap-profile');
	if (extra.length > 0) command.push('--', ...extra);
	return command.join(' ');
}
