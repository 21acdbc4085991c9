/**
 * Summarizes a V8 CPU profile (.cpuprofile, e.g. from `npm run bench -- --profile`): self time by
 * function and by package, so a hot spot in a server can be reported with numbers; and the longest
 * stretches the thread was busy without a break, with what kept it busy, so a stall can be traced to
 * the callback that caused it (that is how the heartbeat's 11 ms loop was found, docs/performance.md).
 *   npx tsx tests/bench/profile-summary.ts tmp/bench/profiles/verkosto-….cpuprofile [top] [from-s to-s]
 * `from-s to-s` limit the stretches to that part of the profile (seconds from its start), e.g. the
 * measured window, without the start-up and the shutdown.
 */
import fs from 'node:fs';

interface Node {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	hitCount?: number;
	children?: number[];
}
interface Profile {
	nodes: Node[];
	samples: number[];
	timeDeltas: number[];
	startTime: number;
	endTime: number;
}

const [file, topArg, fromArg, toArg] = process.argv.slice(2);
if (!file) {
	console.error('usage: profile-summary.ts FILE.cpuprofile [top] [from-s to-s]');
	process.exit(2);
}
const top = Number(topArg ?? 25);
const from = Number(fromArg ?? 0) * 1e6;
const to = toArg === undefined ? Infinity : Number(toArg) * 1e6;
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMicros = new Map<number, number>();
profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = profile.endTime - profile.startTime;

const packageOf = (url: string) => {
	if (url === '') return '(native/V8)';
	const nm = url.lastIndexOf('/node_modules/');
	if (nm >= 0) {
		const rest = url.slice(nm + '/node_modules/'.length).split('/');
		return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
	}
	if (url.startsWith('node:')) return 'node core';
	const m = /\/(server|src|tests)\//.exec(url);
	return m ? `project ${url.slice(url.indexOf(m[0]) + 1)}` : url;
};

const fns = new Map<string, number>();
const pkgs = new Map<string, number>();
for (const [id, micros] of selfMicros) {
	const node = byId.get(id);
	if (!node) continue;
	const { functionName, url, lineNumber } = node.callFrame;
	const key = `${functionName || '(anonymous)'}  ${url.replace(/^.*\/node_modules\//, '')}:${lineNumber + 1}`;
	fns.set(key, (fns.get(key) ?? 0) + micros);
	const pkg = packageOf(url);
	pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + micros);
}
const idle = [...selfMicros].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((n, [, m]) => n + m, 0);
const print = (title: string, map: Map<string, number>) => {
	console.log(`\n${title}`);
	for (const [key, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
		console.log(`${((micros / total) * 100).toFixed(1).padStart(6)} %  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${key}`);
	}
};
console.log(`${file}: ${(total / 1e6).toFixed(1)} s profiled, ${(((total - idle) / total) * 100).toFixed(1)} % not idle`);
print('Self time by package', pkgs);
print('Self time by function', fns);

// A busy stretch: consecutive samples off idle. The event loop reads no socket during one, so every
// message arriving meanwhile waits for its end. Back-to-back callbacks merge into one stretch.
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const frameName = (node: Node) =>
	`${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^.*\/(node_modules|server|src|tests)\//, '$1/')}`.trim();
/** What a sample was doing: the callback it runs in (the frame below the root), and the project's outermost frame under it. */
const activityOf = (id: number) => {
	const chain: Node[] = [];
	for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) chain.unshift(byId.get(at)!);
	const entry = chain[1] ?? chain[0]!;
	const own = chain.find((node) => /\/(server|src)\//.test(node.callFrame.url));
	return own && own !== entry ? `${frameName(entry)} > ${frameName(own)}` : frameName(entry);
};
interface Stretch {
	start: number;
	micros: number;
	samples: number[];
}
const stretches: Stretch[] = [];
let current: Stretch | undefined;
let clock = profile.startTime;
profile.samples.forEach((id, i) => {
	const delta = profile.timeDeltas[i] ?? 0;
	clock += delta;
	if (byId.get(id)?.callFrame.functionName === '(idle)') {
		current = undefined;
		return;
	}
	if (!current) stretches.push((current = { start: clock, micros: 0, samples: [] }));
	current.micros += delta;
	current.samples.push(id);
});
const inRange = stretches.filter((stretch) => stretch.start - profile.startTime >= from && stretch.start - profile.startTime <= to);
console.log('\nLongest busy stretches (consecutive samples off idle), with what their samples were doing');
for (const stretch of inRange.sort((a, b) => b.micros - a.micros).slice(0, top)) {
	const doing = new Map<string, number>();
	for (const id of stretch.samples) {
		const activity = activityOf(id);
		doing.set(activity, (doing.get(activity) ?? 0) + 1);
	}
	const what = [...doing].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([activity, n]) => `${activity} ×${n}`);
	console.log(`  at ${((stretch.start - profile.startTime) / 1e6).toFixed(2).padStart(6)} s ${(stretch.micros / 1000).toFixed(1).padStart(6)} ms  ${what.join('; ')}`);
}
