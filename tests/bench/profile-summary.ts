/**
 * Summarizes a V8 CPU profile (.cpuprofile, e.g. from `npm run bench -- --profile`): self time by
 * function and by package, so a hot spot in a server can be reported with numbers.
 *   npx tsx tests/bench/profile-summary.ts tmp/bench/profiles/verkosto-….cpuprofile [top]
 */
import fs from 'node:fs';

interface Node {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	hitCount?: number;
}
interface Profile {
	nodes: Node[];
	samples: number[];
	timeDeltas: number[];
	startTime: number;
	endTime: number;
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
	console.error('usage: profile-summary.ts FILE.cpuprofile [top]');
	process.exit(2);
}
const top = Number(topArg ?? 25);
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
