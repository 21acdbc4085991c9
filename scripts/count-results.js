// Reads one suite's JSON report and prints "<passed> <failed>" for scripts/test.sh, which sums the
// suites into the one line CI reads (issue 2, item 9: CI knows neither Vitest's nor Playwright's
// summaries). Each failed test follows on a line of its own, so the summary at the end of a long
// log can name what failed: CI keeps only the log's tail.
//
//   node scripts/count-results.js vitest <report.json> <exit code>
//   node scripts/count-results.js playwright <report.json> <exit code>
//   node scripts/count-results.js playwright-not-run <listing.json>   every listed test counts as failed
//
// Each test case counts once. Skipped and todo tests count neither way. A suite that exited non-zero
// but reports no failure (no report, a crash, an error outside any test) counts at least one failure,
// so the sum never says "0 failed" when a suite did not pass.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * @typedef {{ passed: number, failed: number, failures: string[] }} Counts
 * @typedef {{ status?: string, fullName?: string }} VitestAssertion
 * @typedef {{ status?: string, name?: string, assertionResults?: VitestAssertion[] }} VitestFile
 * @typedef {{ testResults?: VitestFile[] }} VitestReport
 * @typedef {{ status?: string, projectName?: string }} PlaywrightTest
 * @typedef {{ title?: string, file?: string, line?: number, tests?: PlaywrightTest[] }} PlaywrightSpec
 * @typedef {{ specs?: PlaywrightSpec[], suites?: PlaywrightSuite[] }} PlaywrightSuite
 * @typedef {{ suites?: PlaywrightSuite[], errors?: unknown[] }} PlaywrightReport
 */

/**
 * @param {string} file
 * @returns {unknown} the parsed report, or undefined when there is none
 */
function readReport(file) {
	try {
		return JSON.parse(readFileSync(file, 'utf8'));
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		console.error(`count-results: no usable report at ${file} (${reason})`);
		return undefined;
	}
}

/**
 * Vitest's JSON report: a file that failed without a failing test (an import error, a failing hook)
 * counts as one failure.
 * @param {VitestReport} report
 * @returns {Counts}
 */
function countVitest(report) {
	/** @type {Counts} */
	const counts = { passed: 0, failed: 0, failures: [] };
	for (const file of report.testResults ?? []) {
		const where = relative(process.cwd(), file.name ?? '?');
		const tests = file.assertionResults ?? [];
		const failedHere = tests.filter((test) => test.status === 'failed');
		counts.passed += tests.filter((test) => test.status === 'passed').length;
		counts.failed += failedHere.length;
		counts.failures.push(...failedHere.map((test) => `${where} › ${test.fullName ?? '?'}`));
		if (file.status === 'failed' && failedHere.length === 0) {
			counts.failed += 1;
			counts.failures.push(`${where} (the file failed outside its tests)`);
		}
	}
	return counts;
}

/**
 * @param {PlaywrightSuite[]} suites
 * @returns {{ test: PlaywrightTest, spec: PlaywrightSpec }[]} every test case: one per spec and project
 */
function playwrightTests(suites) {
	return suites.flatMap((suite) => [
		...(suite.specs ?? []).flatMap((spec) => (spec.tests ?? []).map((test) => ({ test, spec }))),
		...playwrightTests(suite.suites ?? [])
	]);
}

/**
 * Playwright's JSON report: "flaky" passed on a retry and counts as passed (the list reporter names
 * it); errors outside any test (a server that did not start) count as failures.
 * @param {PlaywrightReport} report
 * @returns {Counts}
 */
function countPlaywright(report) {
	const tests = playwrightTests(report.suites ?? []);
	const failedTests = tests.filter(({ test }) => test.status === 'unexpected');
	const errors = report.errors?.length ?? 0;
	return {
		passed: tests.filter(({ test }) => test.status === 'expected' || test.status === 'flaky').length,
		failed: failedTests.length + errors,
		failures: [
			...failedTests.map(
				({ test, spec }) => `[${test.projectName ?? '?'}] ${spec.file ?? '?'}:${spec.line ?? '?'} › ${spec.title ?? '?'}`
			),
			...(errors > 0 ? [`${errors} error(s) outside any test`] : [])
		]
	};
}

/**
 * @param {string[]} args
 * @returns {Counts}
 */
function count(args) {
	const [kind, file, exitCode] = args;
	if (!file) throw new Error('usage: count-results.js vitest|playwright|playwright-not-run <report.json> [exit code]');
	const report = readReport(file);
	if (kind === 'playwright-not-run') {
		const listed = report ? playwrightTests(/** @type {PlaywrightReport} */ (report).suites ?? []).length : 0;
		return { passed: 0, failed: Math.max(listed, 1), failures: ['every test: they could not run'] };
	}
	/** @type {Counts} */
	let counts;
	if (!report) counts = { passed: 0, failed: 0, failures: [] };
	else if (kind === 'vitest') counts = countVitest(/** @type {VitestReport} */ (report));
	else if (kind === 'playwright') counts = countPlaywright(/** @type {PlaywrightReport} */ (report));
	else throw new Error(`unknown kind of report: ${kind}`);
	if (Number(exitCode ?? 0) !== 0 && counts.failed === 0) {
		counts.failed = 1;
		counts.failures.push(`${kind} exited with ${exitCode} but its report names no failed test`);
	}
	return counts;
}

const { passed, failed, failures } = count(process.argv.slice(2));
console.log([`${passed} ${failed}`, ...failures].join('\n'));
