import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface AdminRun {
	code: number | null;
	stdout: string;
	stderr: string;
}

/**
 * Runs the admin command line against `dataDir`, with `input` on standard input (the password of
 * `user add`): as `npm run admin` runs it (server/admin.ts under tsx), or `via: 'npm'` through the
 * README's own command.
 */
export function runAdmin(args: string[], dataDir: string, input = '', via: 'tsx' | 'npm' = 'tsx'): Promise<AdminRun> {
	const [command, prefix] =
		via === 'npm' ? ['npm', ['run', 'admin', '--silent', '--']] : [process.execPath, ['--import', 'tsx', 'server/admin.ts']];
	return new Promise((resolve, reject) => {
		const child = spawn(command, [...prefix, ...args], {
			cwd: root,
			env: { ...process.env, DATA_DIR: dataDir },
			stdio: ['pipe', 'pipe', 'pipe']
		});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		child.once('error', reject);
		child.once('close', (code) => resolve({ code, stdout, stderr }));
		child.stdin.end(input);
	});
}
