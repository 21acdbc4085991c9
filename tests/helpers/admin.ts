import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface AdminRun {
	code: number | null;
	stdout: string;
	stderr: string;
}

/**
 * Runs the admin command line as `npm run admin` does (server/admin.ts under tsx) against `dataDir`,
 * with `input` on standard input (the password of `user add`).
 */
export function runAdmin(args: string[], dataDir: string, input = ''): Promise<AdminRun> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--import', 'tsx', 'server/admin.ts', ...args], {
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
