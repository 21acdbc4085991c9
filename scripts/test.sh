#!/usr/bin/env bash
# `npm test`: every suite, in order — type check, build, unit + integration (Vitest), end-to-end
# (Playwright against `npm run dev` and the build) — then ONE closing line "N passed, N failed"
# summing every test of every suite, because CI reads neither Vitest's nor Playwright's summaries
# (issue 2, item 9). Every suite runs even when an earlier one failed; only Playwright needs the
# build. Exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Where the JSON reports land; scripts/count-results.js reads them. playwright.config.ts names the
# same file for Playwright's report.
reports=test-results
vitest_report="$reports/vitest.json"
playwright_report="$reports/playwright.json"
mkdir -p "$reports"

passed=0
failed=0
table=()

section() { printf '\n━━━ %s ━━━\n' "$1"; }

# record <suite> <passed> <failed> <seconds>
record() {
	passed=$((passed + $2))
	failed=$((failed + $3))
	table+=("$(printf '  %-26s %4d passed, %4d failed   %4ds' "$1" "$2" "$3" "$4")")
}

# Each failed test's name, printed again in the summary: CI keeps only the log's tail.
failures=()

# count <kind> <report> [exit code]: sets p and f to the suite's passed and failed counts and adds
# its failed tests to failures; a counter that cannot read counts one failure.
count() {
	local out line
	if out=$(node scripts/count-results.js "$@") && [[ ${out%%$'\n'*} =~ ^([0-9]+)\ ([0-9]+)$ ]]; then
		p=${BASH_REMATCH[1]}
		f=${BASH_REMATCH[2]}
		while IFS= read -r line; do
			[[ -n $line ]] && failures+=("$line")
		done < <(tail -n +2 <<<"$out")
	else
		p=0
		f=1
		failures+=("the $1 report could not be counted")
	fi
}

# Playwright cannot download its browsers here: it drives Debian's Chromium.
if [[ ! -x /usr/bin/chromium ]]; then
	section "Installing Debian's chromium"
	sudo=""
	if [[ $(id -u) -ne 0 ]]; then sudo="sudo -n"; fi
	export DEBIAN_FRONTEND=noninteractive
	if ! { $sudo apt-get update && $sudo apt-get install -y chromium; }; then
		echo "test.sh: could not install chromium; the end-to-end tests will fail." >&2
	fi
fi

section 'Type check (svelte-check; any error or warning fails)'
start=$SECONDS
if npm run check; then
	record 'svelte-check' 1 0 $((SECONDS - start))
else
	record 'svelte-check' 0 1 $((SECONDS - start))
fi

section 'Build'
start=$SECONDS
if npm run build; then
	built=yes
	table+=("$(printf '  %-26s %-30s %4ds' 'build' 'done (not a test)' $((SECONDS - start)))")
else
	built=no
	table+=("$(printf '  %-26s %-30s %4ds' 'build' 'FAILED: end-to-end not run' $((SECONDS - start)))")
fi

section 'Unit and integration tests (Vitest)'
start=$SECONDS
rm -f "$vitest_report"
npx vitest run --reporter=default --reporter=json --outputFile.json="$vitest_report"
status=$?
count vitest "$vitest_report" "$status"
record 'vitest (unit, integration)' "$p" "$f" $((SECONDS - start))

section 'End-to-end tests (Playwright: dev server and production build, with and without JavaScript)'
start=$SECONDS
rm -f "$playwright_report"
if [[ $built == yes ]]; then
	npx playwright test
	status=$?
	count playwright "$playwright_report" "$status"
else
	# The production server cannot start without a build: every end-to-end test counts as failed.
	echo 'The build failed, so the end-to-end tests cannot run; each counts as failed.'
	PLAYWRIGHT_JSON_OUTPUT_FILE="$playwright_report" npx playwright test --list --reporter=json >/dev/null
	count playwright-not-run "$playwright_report"
fi
record 'playwright (all projects)' "$p" "$f" $((SECONDS - start))

section 'Summary'
printf '%s\n' "${table[@]}"
if [[ ${#failures[@]} -gt 0 ]]; then
	echo '  Failed:'
	printf '    ✗ %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
