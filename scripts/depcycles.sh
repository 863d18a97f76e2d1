#!/bin/sh
# SPDX-License-Identifier: MIT
#
# depcycles.sh: fail, and print the cycle, when modules of src/ depend on
# each other in a circle. Run by make check-deps.
#
# A module is x.c plus x.h, and x including y.h depends on y; ucp.h and
# ucp.c are the module ucp, the facade, which may include every module
# but no module may include it (the shared types are in types.h, a leaf).
#
# Usage: scripts/depcycles.sh [DIR]	(default: src)
set -eu

dir=${1:-src}

edges() {
	for f in "$dir"/*.c "$dir"/*.h; do
		m=${f##*/}
		m=${m%.[ch]}
		sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([A-Za-z0-9_]*\)\.h".*/\1/p' "$f" |
			while read -r h; do
				[ "$h" = "$m" ] || [ "$h" = banned ] || echo "$m $h"
			done
	done | sort -u
}

edges | awk '
$2 == "ucp" {
	printf "%s: %s includes ucp.h (the facade; include types.h)\n", prog, $1
	bad = 1
}
{
	for (i = 1; i <= 2; i++)
		if (!($i in known)) {
			known[$i] = 1
			node[++n] = $i
		}
	succ[$1] = succ[$1] " " $2
}
# Depth first; a successor still on the stack closes a cycle.
function visit(u,	i, k, v, vs, j, path) {
	state[u] = 1
	stack[++sp] = u
	k = split(succ[u], vs, " ")
	for (i = 1; i <= k; i++) {
		v = vs[i]
		if (state[v] == 1) {
			path = v
			for (j = sp; stack[j] != v; j--)
				;
			for (j++; j <= sp; j++)
				path = path " -> " stack[j]
			printf "%s: module cycle: %s -> %s\n", prog, path, v
			bad = 1
		} else if (!state[v]) {
			visit(v)
		}
	}
	sp--
	state[u] = 2
}
END {
	for (i = 1; i <= n; i++)
		if (!state[node[i]])
			visit(node[i])
	exit bad
}' prog="${0##*/}"
