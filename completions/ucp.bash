# SPDX-License-Identifier: MIT
#
# Bash completion for ucp(1).  Install as
# $(DATADIR)/bash-completion/completions/ucp, or source this file.
#
# It needs nothing from the bash-completion package.  "--engine=uring" arrives
# in two shapes: split into "--engine" "=" "uring" when '=' is in
# COMP_WORDBREAKS (the default), or as one word when it is not; both are
# handled.  Every long option of ucp must appear here (checked by
# tests/cli/t_options_consistency.sh).

# _ucp_reply PREFIX CUR KIND [WORD...]: fill COMPREPLY with the candidates of
# KIND (words, dirs or files) that start with CUR, each preceded by PREFIX.
_ucp_reply()
{
	local prefix=$1 cur=$2 kind=$3 i
	shift 3

	case $kind in
	words)
		mapfile -t COMPREPLY < <(compgen -W "$*" -- "$cur")
		;;
	dirs)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		;;
	files)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		;;
	esac
	if [[ -n $prefix ]]; then
		for i in "${!COMPREPLY[@]}"; do
			COMPREPLY[i]=$prefix${COMPREPLY[i]}
		done
	fi
}

# _ucp_value PREFIX CUR OPTION: complete the argument of OPTION.
# Returns 1 if OPTION takes no argument.
_ucp_value()
{
	local prefix=$1 cur=$2

	case $3 in
	--engine)
		_ucp_reply "$prefix" "$cur" words auto uring threads
		;;
	--progress)
		_ucp_reply "$prefix" "$cur" words auto bar plain none json
		;;
	--update)
		_ucp_reply "$prefix" "$cur" words all none older
		;;
	--reflink | --sparse)
		_ucp_reply "$prefix" "$cur" words auto always never
		;;
	--format)
		_ucp_reply "$prefix" "$cur" words pax ustar gnutar cpio zip
		;;
	--compress)
		_ucp_reply "$prefix" "$cur" words gzip bzip2 xz zstd lz4 none
		;;
	--preserve | --no-preserve)
		# A comma list: complete the word after the last comma.
		_ucp_reply "$prefix${cur%"${cur##*,}"}" "${cur##*,}" words \
			mode ownership timestamps links xattr context all
		;;
	--backup)
		_ucp_reply "$prefix" "$cur" words none off numbered t existing nil simple never
		;;
	-S | --suffix)
		COMPREPLY=()
		;;
	-t | --target-directory | --link-dest | --reflink-dest)
		_ucp_reply "$prefix" "$cur" dirs
		;;
	--exclude-from | --include-from | --files-from)
		_ucp_reply "$prefix" "$cur" files
		;;
	--exclude | --include | --filter | --max-delete | --modify-window)
		COMPREPLY=()
		;;
	-j | --jobs | --buffer-size | --level)
		# A number or a size: nothing sensible to offer.
		COMPREPLY=()
		;;
	*)
		return 1
		;;
	esac
	return 0
}

_ucp()
{
	local cur prev opt i
	local longopts='--archive --dereference --force --link --no-clobber --one-file-system
		--reflink --reflink= --sparse= --no-cache --remove-destination --strip-trailing-slashes --update --update=
		--no-dereference --recursive --preserve --preserve= --no-preserve=
		--target-directory= --no-target-directory
		--verbose --quiet --jobs= --engine= --sqpoll --buffer-size= --progress
		--progress= --no-progress --no-scan --stats --help --version
		--interactive --symbolic-link --parents --attributes-only --copy-contents --backup --backup=
		--suffix= --debug --sync --delete --delete-excluded --max-delete= --ignore-errors
		--checksum --size-only --modify-window= --ignore-existing --existing --inplace
		--fsync --dry-run --itemize-changes --link-dest= --reflink-dest= --filter= --exclude=
		--include= --exclude-from= --include-from= --files-from= --from0 --context --context=
		--tar --untar --list --format= --compress= --level='
	local shortopts='-0 -a -b -c -d -f -F -H -i -L -l -n -u -x -P -p -r -R -s -S -t -T -v -q -j -h -Z'

	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=
	if ((COMP_CWORD > 0)); then
		prev=${COMP_WORDS[COMP_CWORD - 1]}
	fi

	# After "--" every word is an operand.
	for ((i = 1; i < COMP_CWORD; i++)); do
		if [[ ${COMP_WORDS[i]} == -- ]]; then
			_ucp_reply '' "$cur" files
			return 0
		fi
	done

	# "--engine=uring", split by readline at '='.
	if [[ $cur == = && $prev == --* ]]; then
		_ucp_value '' '' "$prev"
		return 0
	fi
	if [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		opt=${COMP_WORDS[COMP_CWORD - 2]}
		if [[ $opt == --* ]]; then
			_ucp_value '' "$cur" "$opt"
			return 0
		fi
	fi
	# "--engine=uring" as a single word.
	if [[ $cur == --*=* ]]; then
		opt=${cur%%=*}
		_ucp_value "$opt=" "${cur#*=}" "$opt"
		return 0
	fi

	# The argument of an option given as the next word.  --progress is
	# left out: its argument is optional and must follow '='.
	case $prev in
	-t | --target-directory | -j | --jobs | --buffer-size | --engine | --no-preserve | --sparse | -S | --suffix | \
		--link-dest | --reflink-dest | --exclude-from | --include-from | --files-from | --exclude | --include | --filter | \
		--max-delete | --modify-window | --format | --compress | --level)
		_ucp_value '' "$cur" "$prev"
		return 0
		;;
	-f | -[0abcdFHiLlnsuxPprRTvqZ]*f)
		# With --sync (or its abbreviation), -f is --filter and takes a
		# rule; else cp's --force.
		for ((i = 1; i < COMP_CWORD; i++)); do
			if [[ ${#COMP_WORDS[i]} -ge 5 && --sync == "${COMP_WORDS[i]}"* ]]; then
				COMPREPLY=()
				return 0
			fi
		done
		;;
	-[0abcdfFHiLlnsuxPprRTvqZ]*[tjS])
		# Bundled short options ending in one that takes an argument.
		_ucp_value '' "$cur" "-${prev: -1}"
		return 0
		;;
	esac

	case $cur in
	--*)
		_ucp_reply '' "$cur" words "$longopts"
		# Leave the cursor after '=' so the value can follow directly.
		if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]]; then
			compopt -o nospace 2>/dev/null
		fi
		;;
	-*)
		_ucp_reply '' "$cur" words "$shortopts $longopts"
		if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]]; then
			compopt -o nospace 2>/dev/null
		fi
		;;
	*)
		_ucp_reply '' "$cur" files
		;;
	esac
	return 0
}

complete -F _ucp ucp
