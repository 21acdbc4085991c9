import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test as base, type Locator, type Page } from '@playwright/test';

export { expect } from '@playwright/test';

/** Options each Playwright project sets in `use` (playwright.config.ts). */
export interface E2EOptions {
	/** DATA_DIR of the server this project runs against; the admin CLI writes into the same database. */
	dataDir: string;
}

interface E2EFixtures {
	/** Creates a meeting with the admin command line, as an operator would, and resolves to its id. */
	createMeeting: (title: string) => Promise<string>;
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The Finnish catalog (the default locale): tests look for what a Finnish user reads, without copying
 * the wording, so a change of copy does not break them. Typed from the file, so a wrong key fails the
 * type check.
 */
export const fi = JSON.parse(
	readFileSync(new URL('../../messages/fi.json', import.meta.url), 'utf8')
) as typeof import('../../messages/fi.json');

export const test = base.extend<E2EFixtures, E2EOptions>({
	dataDir: ['', { option: true, scope: 'worker' }],
	createMeeting: async ({ dataDir }, use) => {
		if (!dataDir) throw new Error('This project sets no `use.dataDir` (see playwright.config.ts).');
		await use(async (title) => {
			// The documented contract: `npm run admin -- meeting create` prints the id as its last line.
			const { stdout } = await promisify(execFile)(
				'npm',
				['run', 'admin', '--silent', '--', 'meeting', 'create', '--title', title],
				{ cwd: repoRoot, env: { ...process.env, DATA_DIR: dataDir } }
			);
			const id = stdout.trim().split('\n').at(-1)?.trim();
			if (!id) throw new Error(`admin printed no meeting id:\n${stdout}`);
			return id;
		});
	}
});

/** The shared editor under a heading, found the way assistive technology finds it. */
export function editorUnder(page: Page, heading: string): Locator {
	return page.getByRole('textbox', { name: heading });
}

/**
 * What a reader sees in a CodeMirror editor, line by line, without the name labels that
 * y-codemirror.next draws at other participants' carets (those are widgets inside the text).
 */
export function editorText(editor: Locator): Promise<string> {
	return editor.evaluate((content) =>
		Array.from(content.querySelectorAll('.cm-line'), (line) => {
			const copy = line.cloneNode(true) as Element;
			for (const caret of copy.querySelectorAll('.cm-ySelectionCaret')) caret.remove();
			return copy.textContent ?? '';
		}).join('\n')
	);
}
