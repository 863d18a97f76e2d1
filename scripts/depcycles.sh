#!/bin/sh
# SPDX-License-Identifier: MIT
#
# depcycles.sh: fail, and print the cycle, when modules of src/ depend on
# each other in a circle. Run by make check-deps.
#
# A module is x.c plus x.h, and x including y.h depends on y. One header is
# a node of its own: ucp.h, the public API, declares the types all layers
# share and the functions of several modules (ucp.c, filter.c, tar.c, ...)
# for cmd/. Including it depends on those declarations, not on the facade
# ucp.c, so it may include no project header (checked here), and then it
# cannot be on a cycle.
#
# Usage: scripts/depcycles.sh [DIR]	(default: src)
set -eu

dir=${1:-src}

edges() {
	for f in "$dir"/*.c "$dir"/*.h; do
		m=${f##*/}
		[ "$m" = ucp.h ] || m=${m%.[ch]}
		sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([A-Za-z0-9_]*\)\.h".*/\1/p' "$f" |
			while read -r h; do
				[ "$h" = ucp ] && h=ucp.h
				[ "$h" = "$m" ] || [ "$h" = banned ] || echo "$m $h"
			done
	done | sort -u
}

edges | awk '
$1 == "ucp.h" {
	printf "%s: ucp.h includes %s.h (the public API includes nothing of ours)\n", prog, $2
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
