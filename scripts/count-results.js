// Reads one suite's JSON report and prints "<passed> <failed>" for scripts/test.sh, which sums the
// suites into the one line CI reads (issue 2, item 9: CI knows neither Vitest's nor Playwright's
// summaries).
//
//   node scripts/count-results.js vitest <report.json> <exit code>
//   node scripts/count-results.js playwright <report.json> <exit code>
//   node scripts/count-results.js playwright-not-run <listing.json>   every listed test counts as failed
//
// Each test case counts once. Skipped and todo tests count neither way. A suite that exited non-zero
// but reports no failure (no report, a crash, an error outside any test) counts at least one failure,
// so the sum never says "0 failed" when a suite did not pass.
import { readFileSync } from 'node:fs';

/**
 * @typedef {{ passed: number, failed: number }} Counts
 * @typedef {{ status?: string }} VitestAssertion
 * @typedef {{ status?: string, assertionResults?: VitestAssertion[] }} VitestFile
 * @typedef {{ testResults?: VitestFile[] }} VitestReport
 * @typedef {{ status?: string }} PlaywrightTest
 * @typedef {{ tests?: PlaywrightTest[] }} PlaywrightSpec
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
	const counts = { passed: 0, failed: 0 };
	for (const file of report.testResults ?? []) {
		const tests = file.assertionResults ?? [];
		const failedHere = tests.filter((test) => test.status === 'failed').length;
		counts.passed += tests.filter((test) => test.status === 'passed').length;
		counts.failed += failedHere;
		if (file.status === 'failed' && failedHere === 0) counts.failed += 1;
	}
	return counts;
}

/**
 * @param {PlaywrightSuite[]} suites
 * @returns {PlaywrightTest[]} every test case: one per spec and project
 */
function playwrightTests(suites) {
	return suites.flatMap((suite) => [
		...(suite.specs ?? []).flatMap((spec) => spec.tests ?? []),
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
	return {
		passed: tests.filter((test) => test.status === 'expected' || test.status === 'flaky').length,
		failed: tests.filter((test) => test.status === 'unexpected').length + (report.errors?.length ?? 0)
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
		return { passed: 0, failed: Math.max(listed, 1) };
	}
	/** @type {Counts} */
	let counts;
	if (!report) counts = { passed: 0, failed: 0 };
	else if (kind === 'vitest') counts = countVitest(/** @type {VitestReport} */ (report));
	else if (kind === 'playwright') counts = countPlaywright(/** @type {PlaywrightReport} */ (report));
	else throw new Error(`unknown kind of report: ${kind}`);
	if (Number(exitCode ?? 0) !== 0 && counts.failed === 0) counts.failed = 1;
	return counts;
}

const { passed, failed } = count(process.argv.slice(2));
console.log(`${passed} ${failed}`);
