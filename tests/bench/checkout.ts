/**
 * Which Verkosto code a run measures. By default the project's working tree; with `--verkosto-commit REV`
 * a clean export of that commit (git archive) under tmp/bench/, using the project's node_modules, so a
 * figure can be tied to a commit while the working tree changes. The export's message catalogs are
 * compiled as `npm run check` compiles them: the server imports them (the audit trail's CSV), and
 * they are generated, not committed.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from './children.js';

export interface VerkostoSource {
	root: string;
	commit: string;
	/** Files under server/, src/ and tests/helpers/ that differ from the commit (working tree only). */
	uncommitted: string[];
}

const git = (args: string[], cwd = projectRoot) => execFileSync('git', args, { cwd, encoding: 'utf8', timeout: 30_000 });

/** The project's working tree, or another checkout (`dir`), with its commit and uncommitted files. */
export function workingTree(dir = projectRoot): VerkostoSource {
	const root = path.resolve(projectRoot, dir);
	let commit = 'unknown';
	let uncommitted: string[] = [];
	try {
		// Only a checkout of its own (not a folder inside another repository's working tree).
		if (path.resolve(git(['rev-parse', '--show-toplevel'], root).trim()) !== fs.realpathSync(root)) throw new Error('not a checkout');
		commit = git(['rev-parse', '--short=12', 'HEAD'], root).trim();
		uncommitted = git(['status', '--porcelain', '--', 'server', 'src', 'tests/helpers'], root)
			.split('\n')
			.filter(Boolean)
			.map((line) => line.slice(3));
	} catch {
		// not a git checkout
	}
	if (commit === 'unknown' && fs.existsSync(path.join(root, 'COMMIT'))) commit = fs.readFileSync(path.join(root, 'COMMIT'), 'utf8').trim();
	return { root, commit, uncommitted };
}

export function exportCommit(rev: string): VerkostoSource {
	const commit = git(['rev-parse', '--short=12', `${rev}^{commit}`]).trim();
	const root = path.join(projectRoot, 'tmp/bench', `verkosto-${commit}`);
	if (!fs.existsSync(path.join(root, 'tests/helpers/child-server.ts'))) {
		fs.rmSync(root, { recursive: true, force: true });
		fs.mkdirSync(root, { recursive: true });
		const archive = execFileSync('git', ['archive', '--format=tar', commit], { cwd: projectRoot, maxBuffer: 512 * 2 ** 20, timeout: 60_000 });
		execFileSync('tar', ['-x', '-C', root], { input: archive, timeout: 60_000 });
		fs.symlinkSync(path.join(projectRoot, 'node_modules'), path.join(root, 'node_modules'));
	}
	if (!fs.existsSync(path.join(root, 'src/lib/paraglide/messages.js'))) {
		execFileSync(path.join(projectRoot, 'node_modules/.bin/paraglide-js'), ['compile', '--project', './project.inlang', '--outdir', './src/lib/paraglide'], {
			cwd: root,
			stdio: 'ignore',
			timeout: 120_000
		});
	}
	if (!fs.existsSync(path.join(root, 'COMMIT'))) fs.writeFileSync(path.join(root, 'COMMIT'), `${commit}\n`);
	return { root, commit, uncommitted: [] };
}
