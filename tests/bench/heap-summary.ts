/**
 * Summarizes a V8 sampling heap profile (.heapprofile, from `npm run bench -- --heap-profile`): the
 * sampled bytes by allocating function, and by the last frames of the stack that allocated them, so
 * a source of old-generation garbage can be named with numbers and compared between servers.
 *   npx tsx tests/bench/heap-summary.ts tmp/bench/profiles/verkosto-1.heapprofile [top]
 */
import fs from 'node:fs';

interface HeapNode {
	callFrame: { functionName: string; url: string; lineNumber: number };
	selfSize: number;
	children: HeapNode[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
	console.error('usage: heap-summary.ts FILE.heapprofile [top]');
	process.exit(2);
}
const top = Number(topArg ?? 25);
const { head } = JSON.parse(fs.readFileSync(file, 'utf8')) as { head: HeapNode };

/** `name file:line`, the file shortened to its package or its path in the project. */
function frame({ functionName, url, lineNumber }: HeapNode['callFrame']): string {
	const short = url.replace(/^.*\/node_modules\//, '').replace(/^.*\/tmp\/bench\/verkosto-[0-9a-f]+\//, '').replace(/^file:\/\/\/work\/[^/]+\//, '');
	return `${functionName || '(anonymous)'} ${short}:${lineNumber + 1}`;
}

const byFunction = new Map<string, number>();
const byStack = new Map<string, number>();
let total = 0;
const walk = (node: HeapNode, path: string[]) => {
	const here = [...path, frame(node.callFrame)];
	if (node.selfSize > 0) {
		total += node.selfSize;
		const name = here.at(-1)!;
		byFunction.set(name, (byFunction.get(name) ?? 0) + node.selfSize);
		const stack = here.slice(-4).reverse().join(' ← ');
		byStack.set(stack, (byStack.get(stack) ?? 0) + node.selfSize);
	}
	for (const child of node.children) walk(child, here);
};
walk(head, []);

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2).padStart(6)} MiB`;
const show = (title: string, entries: Map<string, number>) => {
	console.log(`\n${title}`);
	for (const [name, bytes] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) {
		console.log(`  ${mb(bytes)} ${((bytes / total) * 100).toFixed(1).padStart(5)} %  ${name}`);
	}
};
console.log(`${file}: ${mb(total)} sampled`);
show('By allocating function', byFunction);
show('By stack (innermost first)', byStack);
