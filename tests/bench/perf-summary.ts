/**
 * Summarizes a Linux `perf` profile of a server child, kernel included, by what each sample was
 * doing: the part V8's own profiler (`--profile`, profile-summary.ts) cannot see, such as the
 * system calls under a SQLite commit or a socket write. Record 15 s of a measured window (while
 * `npm run bench -- --servers verkosto --parts load --rounds 1` says "measuring"), then summarize:
 *   perf record -F 2000 -g -p "$(pgrep -f tests/helpers/child-server.ts)" -o tmp/perf.data -- sleep 15
 *   perf script -i tmp/perf.data > tmp/perf.txt
 *   npx tsx tests/bench/perf-summary.ts tmp/perf.txt
 * A sample counts towards the first category one of its frames names (native frames are named
 * without `--perf-basic-prof`; JavaScript frames are not, and fall under "other").
 */
import fs from 'node:fs';

/** Category, and the frame names (substrings) that put a sample in it; the first match wins. */
const categories: [string, string[]][] = [
	['SQLite (better-sqlite3 statements)', ['Statement::JS_']],
	['sending: writev (TCP, in the kernel)', ['do_writev']],
	['reading sockets', ['ksys_read']],
	['waiting for events (epoll)', ['epoll']],
	['garbage collection', ['Scavenge', 'MarkCompact', 'Heap::', 'GarbageCollect']]
];
/** Native entry points shown one by one inside the SQLite category. */
const statementCalls = ['Statement::JS_get', 'Statement::JS_run', 'Statement::JS_all', 'Statement::JS_iterate'];

const file = process.argv[2];
if (!file) {
	console.error('usage: perf-summary.ts PERF-SCRIPT.txt');
	process.exit(2);
}

interface Sample {
	thread: string;
	frames: string[];
}

const samples: Sample[] = [];
let current: Sample | undefined;
for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
	if (line.trim() === '') continue;
	if (!/^\s/.test(line)) {
		// A sample's header: "comm tid time: period event:"
		current = { thread: line.trim().split(/\s+/)[1] ?? '?', frames: [] };
		samples.push(current);
	} else if (current) {
		// A frame: "address symbol+offset (object)"
		current.frames.push(line.trim().replace(/^\S+\s+/, '').replace(/\+0x[0-9a-f]+/, ''));
	}
}

const percent = (n: number, of: number) => `${((100 * n) / of).toFixed(1).padStart(5)} %`;
const byThread = new Map<string, Sample[]>();
for (const sample of samples) {
	const own = byThread.get(sample.thread);
	if (own) own.push(sample);
	else byThread.set(sample.thread, [sample]);
}
const threads = [...byThread].sort((a, b) => b[1].length - a[1].length);

console.log(`${file}: ${samples.length} samples, ${threads.length} threads`);
// Threads with at least 1 % of the samples: the event loop, V8's helpers, the checkpoint thread.
for (const [thread, own] of threads.filter(([, own]) => own.length >= samples.length / 100)) {
	console.log(`\nthread ${thread}: ${own.length} samples (${percent(own.length, samples.length).trim()} of the process)`);
	const counts = new Map<string, number>();
	const calls = new Map<string, number>();
	for (const { frames } of own) {
		const category = categories.find(([, names]) => frames.some((f) => names.some((n) => f.includes(n))))?.[0] ?? 'other (JavaScript, V8, Node)';
		counts.set(category, (counts.get(category) ?? 0) + 1);
		const call = statementCalls.find((name) => frames.some((f) => f.includes(name)));
		if (call) calls.set(call, (calls.get(call) ?? 0) + 1);
	}
	for (const [category, n] of [...counts].sort((a, b) => b[1] - a[1])) {
		console.log(`  ${percent(n, own.length)}  ${n.toString().padStart(6)}  ${category}`);
		if (category.startsWith('SQLite')) {
			for (const [call, m] of [...calls].sort((a, b) => b[1] - a[1])) console.log(`  ${percent(m, own.length)}  ${m.toString().padStart(6)}    ${call}`);
		}
	}
}
