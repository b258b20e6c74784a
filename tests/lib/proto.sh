# tests/lib/proto.sh: helpers for the mkfs -p cases (p_*).  Source after
# tests/common.sh.
#
#   proto_need_writer        skip (77) while our mkfs cannot write yet
#   proto_tmpfs DIR [SIZE]   mount a tmpfs at DIR (unmounted at exit):
#                            it holds 64 KiB xattr values, holes, sockets
#   proto_gen DIR [ARGS...]  tests/lib/prototree.py gen DIR ARGS
#   proto_py ARGS...         tests/lib/prototree.py ARGS
#   proto_check IMG SRC [COMPARE-ARGS...]
#                            mount IMG read-only, compare it with SRC,
#                            unmount, run the reference xfs_repair -n and
#                            print "repair -n: exit N" (plus its output
#                            when not clean)
#   proto_mkfs ARGS...       our mkfs.xfs (PROTO_MKFS overrides: point it
#                            at the reference to check a script), with a
#                            fixed UUID, printing "mkfs: exit N"

PROTO_UUID=${PROTO_UUID:-5e1f0000-1111-2222-3333-444455556666}
PROTO_PY="$PYTHON $TOP/tests/lib/prototree.py"

proto_py() { $PROTO_PY "$@"; }
proto_gen() { local d=$1; shift; $PROTO_PY gen "$d" "$@"; }

proto_need_writer() {
	local out
	truncate -s 512m "$TMPDIR/probe.img"
	mkdir -p "$TMPDIR/probe.d"
	out=$("${PROTO_MKFS:-$MKFS}" -q -f -p "$TMPDIR/probe.d" "$TMPDIR/probe.img" 2>&1)
	rm -rf "$TMPDIR/probe.img" "$TMPDIR/probe.d"
	case $out in
	*"not implemented"*) skip "our mkfs.xfs cannot write filesystems yet" ;;
	esac
	can_loop_mount || skip "cannot loop-mount XFS images here"
	require_reference
}

proto_tmpfs() {
	local dir=$1 size=${2:-1g}
	mkdir -p "$dir"
	mount -t tmpfs -o size="$size",noatime tmpfs "$dir" ||
		skip "cannot mount tmpfs"
	LOOP_MOUNTS+=("$dir")
}

proto_mkfs() {
	local rc
	"${PROTO_MKFS:-$MKFS}" -q -f -m uuid=$PROTO_UUID "$@"
	rc=$?
	echo "mkfs: exit $rc"
	return $rc
}

proto_check() {
	local img=$1 src=$2 mnt=$TMPDIR/mnt.$$ out rc rrc
	shift 2
	# nouuid: other cases (or other runs) may have an image of the same
	# fixed UUID mounted at the same time.
	loop_mount "$img" "$mnt" ro,nouuid || { echo "mount failed"; return 1; }
	$PROTO_PY compare "$src" "$mnt" "$@"
	rc=$?
	loop_umount "$mnt"
	out=$("$REF_REPAIR" -n "$img" 2>&1)
	rrc=$?
	echo "repair -n: exit $rrc"
	[ $rrc = 0 ] || printf '%s\n' "$out" | grep -v '^Phase\|^        - ' | head -20
	[ $rc = 0 ] && [ $rrc = 0 ]
}
