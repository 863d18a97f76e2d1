# SPDX-License-Identifier: MIT
#
# Fish completion for ucp(1).  Install as
# $(DATADIR)/fish/vendor_completions.d/ucp.fish.  Every long option of ucp
# must appear here (checked by tests/cli/t_options_consistency.sh).
# Operands complete as files, fish's default.

# The attribute names of --preserve=/--no-preserve=, after any already
# typed before a comma (mode,own<Tab> gives mode,ownership).
# (A prefix given, such as --preserve=, starts each: the whole word.)
function __ucp_preserve_list
    set --local token (commandline -ct)
    set --local value (string replace -r -- '^--(no-)?preserve=' '' $token)
    set --local done (string replace -r -- '[^,]*$' '' $value)
    set --local prefix ''
    set --query argv[1]; and set prefix $argv[1]
    for a in mode ownership timestamps links xattr context all
        echo $prefix$done$a
    end
end

complete -c ucp -s r -s R -l recursive -d 'Copy directories recursively'
complete -c ucp -s a -l archive -d 'Same as -dR --preserve=all'
complete -c ucp -s d -d 'Same as --no-dereference --preserve=links'
complete -c ucp -s L -l dereference -d 'Follow every symbolic link'
complete -c ucp -s H -d 'Follow symbolic link operands only'
complete -c ucp -s P -l no-dereference -d 'Copy symbolic links as links'
# -f is --force, and with --sync --filter, whose RULE is the next word.
# (Also after --syn, an abbreviation ucp takes for it.)
function __ucp_sync_seen
    for w in (commandline -opc)
        string match -q -r -- '^--sync?$' $w; and return 0
    end
    return 1
end
complete -c ucp -s f -n 'not __ucp_sync_seen' -d 'Replace destinations that cannot be opened'
complete -c ucp -s f -n '__ucp_sync_seen' -x -d 'Filter RULE (--filter)'
complete -c ucp -l force -d 'Replace destinations that cannot be opened'
complete -c ucp -s Z -l context -d 'SELinux context of copies: accepted, not set'
complete -c ucp -s l -l link -d 'Hard-link files instead of copying'
complete -c ucp -s n -l no-clobber -d 'Do not replace existing files'
complete -c ucp -s x -l one-file-system -d 'Stay on the source file systems'
complete -c ucp -s i -l interactive -d 'Ask before replacing'
complete -c ucp -s s -l symbolic-link -d 'Make symbolic links instead of copying'
complete -c ucp -l parents -d 'Use the full source names under DIR'
complete -c ucp -l attributes-only -d 'Copy attributes only, not file data'
complete -c ucp -l copy-contents -d 'With -R, read FIFOs and devices as files'
complete -c ucp -s b -d 'Back up each replaced file'
complete -c ucp -l backup -d 'Back up each replaced file [=numbered|existing|simple|none]'
complete -c ucp -f -n 'string match -q -- "--backup=*" (commandline -ct)' \
    -a '--backup=numbered\t"file.~N~" --backup=existing\t"Numbered if any, else simple" --backup=simple\t"file~" --backup=none\t"No backups" --backup=off\t"No backups" --backup=t\t"file.~N~" --backup=nil\t"Numbered if any, else simple" --backup=never\t"file~"'
complete -c ucp -s S -l suffix -x -d 'Backup suffix (default ~)'
complete -c ucp -l debug -d 'Say how each file was copied'
complete -c ucp -l sync -d 'Make the destination a mirror of the source directory'
complete -c ucp -l delete -d 'Delete what the source lacks'
complete -c ucp -l delete-excluded -d 'Also delete excluded entries'
complete -c ucp -l max-delete -x -d 'Delete at most N entries'
complete -c ucp -l ignore-errors -d 'Delete even after errors'
complete -c ucp -s c -l checksum -d 'Compare contents, not size and time'
complete -c ucp -l size-only -d 'Compare sizes only'
complete -c ucp -l modify-window -x -d 'Times this many seconds apart match'
complete -c ucp -l ignore-existing -d 'Leave existing files alone'
complete -c ucp -l existing -d 'Create nothing new'
complete -c ucp -l inplace -d 'Rewrite changed files in place'
complete -c ucp -l fsync -d 'Fsync files and changed directories'
complete -c ucp -l dry-run -d 'Change nothing, report what would change'
complete -c ucp -l itemize-changes -d 'One line per change'
complete -c ucp -l link-dest -x -a '(__fish_complete_directories (commandline -ct | string replace -r -- "^--link-dest=" ""))' -d 'Hard-link unchanged files from DIR'
complete -c ucp -l reflink-dest -x -a '(__fish_complete_directories (commandline -ct | string replace -r -- "^--reflink-dest=" ""))' -d 'Clone unchanged files from DIR'
complete -c ucp -l filter -x -d 'Add a filter RULE in rsync syntax'
complete -c ucp -s F -d 'Per-directory .rsync-filter files (-FF: and exclude them)'
complete -c ucp -l exclude -x -d 'Skip entries matching PATTERN'
complete -c ucp -l include -x -d 'Do not skip entries matching PATTERN'
complete -c ucp -l exclude-from -r -F -d 'Read exclude patterns from FILE'
complete -c ucp -l include-from -r -F -d 'Read include patterns from FILE'
complete -c ucp -l files-from -r -F -d 'Mirror only the paths FILE lists'
complete -c ucp -s 0 -l from0 -d 'Pattern and list files are NUL-separated'
complete -c ucp -l reflink -d 'Share data blocks [=auto|always|never]'
complete -c ucp -f -n 'string match -q -- "--reflink=*" (commandline -ct)' \
    -a '--reflink=auto\t"Clone where possible" --reflink=always\t"Clone or fail" --reflink=never\t"Always copy data"'
complete -c ucp -l no-cache -d 'Leave no copied data in the page cache'
complete -c ucp -l sparse -x -a 'auto\t"Keep holes" always\t"Also make holes from zeros" never\t"Write every byte"' -d 'How holes are handled'
complete -c ucp -l remove-destination -d "New file takes the source's mode, not the old one's"
complete -c ucp -l strip-trailing-slashes -d 'Remove trailing slashes from sources'
complete -c ucp -s u -l update -d 'Replace existing files [=all|none|older]'
complete -c ucp -f -n 'string match -q -- "--update=*" (commandline -ct)' \
    -a '--update=all\t"Always" --update=none\t"Never" --update=older\t"When older than the source"'
complete -c ucp -s p -d 'Same as --preserve=mode,ownership,timestamps'
# (--preserve takes its names after '=' only: a word after it is an operand.)
complete -c ucp -l preserve -d 'Keep attributes [=mode,ownership,timestamps,links,xattr,context,all]'
complete -c ucp -f -n 'string match -q -- "--preserve=*" (commandline -ct)' \
    -a '(__ucp_preserve_list --preserve=)'
complete -c ucp -l no-preserve -x -a '(__ucp_preserve_list)' -d 'Do not keep attributes'
complete -c ucp -s t -l target-directory -x -a '(__fish_complete_directories (commandline -ct | string replace -r -- "^--target-directory=" ""))' -d 'Copy all sources into DIR'
complete -c ucp -s T -l no-target-directory -d 'Treat the destination as a normal file'
complete -c ucp -s v -l verbose -d "Print 'src' -> 'dst' for each copied entry"
complete -c ucp -s q -l quiet -d 'Print errors only'
complete -c ucp -s j -l jobs -x -d 'Number of worker threads (default: twice the CPUs)'
complete -c ucp -l engine -x -a 'auto\t"io_uring if usable, else threads" uring\t"io_uring only" threads\t"Worker threads with plain system calls"' -d 'Copy engine'
complete -c ucp -l sqpoll -d 'io_uring: a kernel thread polls for submissions'
complete -c ucp -l buffer-size -x -d 'Global in-flight buffer budget (K, M, G, T; default 32M, least 128K)'

# --progress takes an optional value, which must follow '='.  fish has no
# notion of optional option arguments, so the "--progress=WHEN" words are
# offered once the current token starts with "--progress=".
complete -c ucp -l progress -d 'Show progress on stderr [=auto|bar|plain|none|json]'
complete -c ucp -f -n 'string match -q -- "--progress=*" (commandline -ct)' \
    -a '--progress=auto\t"Bar when stderr is a terminal" --progress=bar\t"Progress bar" --progress=plain\t"Plain lines for logs" --progress=none\t"No progress" --progress=json\t"JSON lines for programs"'
complete -c ucp -l no-progress -d 'Same as --progress=none'
complete -c ucp -l no-scan -d 'Do not count the sources ahead for progress'
complete -c ucp -l stats -d 'Print a summary at the end'

complete -c ucp -l tar -d 'Write the sources into an archive, the last operand'
complete -c ucp -l untar -d 'Extract an archive into a directory'
complete -c ucp -l list -d 'List the members of an archive'
complete -c ucp -l format -x -a 'pax ustar gnutar cpio zip' -d 'Archive format'
complete -c ucp -l compress -x -a 'gzip bzip2 xz zstd lz4 none' -d 'Compression'
complete -c ucp -l level -x -d 'Compression level'

complete -c ucp -s h -l help -d 'Display help and exit'
complete -c ucp -l version -d 'Print version and exit'
