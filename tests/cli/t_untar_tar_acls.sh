#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ACLs in archives GNU tar made. An ACL carries permissions, so --untar
# restores it with -p only, also when tar --xattrs stored it as the
# attribute system.posix_acl_access (or _default). A file whose ACL mask
# is narrower than its owning group's entry keeps the mask as its group
# bits, with or without -p, and --list -v shows them so, as tar does.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v setfacl >/dev/null || skip "setfacl not installed (package acl)"
tar --help 2>/dev/null | grep -q -- '--acls' || skip "this tar cannot archive ACLs"
mkdir -p src/d
printf 'x\n' >src/f
chmod 640 src/f
setfacl -m u:5000:rw src/f 2>/dev/null || skip "this file system holds no ACLs"
setfacl -d -m u:5001:rwx,o::rwx src/d

# As attributes: nothing comes back without -p.
tar --xattrs --xattrs-include='*' -cf x.tar src
ucp_try --untar x.tar plain
expect_ok
if getfacl -cp plain/src/f plain/src/d 2>/dev/null | grep -q -e '^user:[0-9]' -e '^default:'; then
	getfacl -cp plain/src/f plain/src/d >&2
	fail "--untar without -p restored an ACL archived as an attribute"
fi
ucp_try --untar -p x.tar kept
expect_ok
getfacl -cp kept/src/f | grep -q '^user:5000:rw-' || fail "-p did not restore the access ACL"
getfacl -cp kept/src/d | grep -q '^default:user:5001:rwx' || fail "-p did not restore the default ACL"

# A mask narrower than the group's entry: mode 640, group::rw-, mask::r--.
mkdir -p m/src
printf 'secret\n' >m/src/f
chmod 660 m/src/f
setfacl -m u:5000:r,m::r m/src/f
[ "$(stat -c %a m/src/f)" = 640 ] || skip "setfacl did not narrow the mask"
tar -C m --acls -cf m.tar src
for opt in "" -p; do
	rm -rf "m_out$opt"
	(
		umask 002
		# (word splitting of $opt is meant)
		# shellcheck disable=SC2086
		run_ucp --untar $opt m.tar "m_out$opt"
	) || fail "--untar $opt m.tar failed"
	[ "$(stat -c %a "m_out$opt/src/f")" = 640 ] ||
		fail "--untar $opt: the group bits are the group entry's: $(stat -c %a "m_out$opt/src/f")"
done
getfacl -cp m_out-p/src/f | grep -q '^mask::r--' || fail "-p lost the mask"
ucp_try --list -v m.tar
expect_ok
grep -q '^-rw-r----- .* src/f$' "$T_OUT" || { show_last; fail "--list -v shows the group entry's bits"; }

# ucp's own archives hold an ACL entry's user or group by name as well as
# number (as GNU tar and bsdtar write them), so that it is given by name
# where users are numbered otherwise, as the owner is; one without a name
# here by number only. GNU tar and --untar -p read them back.
mkdir -p n/src
printf 'n\n' >n/src/f
nameless=5000
while getent passwd "$nameless" >/dev/null 2>&1; do nameless=$((nameless + 1)); done
setfacl -m u:0:rw,g:0:r,u:$nameless:r n/src/f
ucp_try --tar n/src n.tar
expect_ok
grep -aq 'user:root:rw-:0' n.tar || fail "the archive names the ACL's user by number only"
grep -aq 'group:root:r--:0' n.tar || fail "the archive names the ACL's group by number only"
grep -aq "user:$nameless:r--" n.tar || fail "the ACL's unnamed user is missing"
mkdir n/tar
tar -C n/tar --acls -xpf n.tar || fail "GNU tar cannot extract the archive"
ucp_try --untar -p n.tar n/ucp
expect_ok
for d in n/tar n/ucp; do
	acl=$(getfacl -cpn "$d/n/src/f" | tr '\n' ' ')
	case $acl in
	*"user:0:rw-"*"user:$nameless:r--"*"group:0:r--"*) ;;
	*) fail "$d: the ACL came back as: $acl" ;;
	esac
done
