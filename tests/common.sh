# tests/common.sh: helpers sourced by case scripts.
# The runner exports TOP, BUILD, ASAN_BUILD, TSAN_BUILD, MKFS, REPAIR, DB,
# REF_MKFS, REF_REPAIR, REF_DB, TMPDIR (a fresh per-case directory).

skip() { echo "$*"; exit 77; }

# Run a unit-test binary built in the given variant; print one stable line
# ("VARIANT NAME: passed") or the binary's output when it fails.
run_unit() {
	local variant=$1 name=$2 dir bin log
	case $variant in
	default) dir=$BUILD ;; asan) dir=$ASAN_BUILD ;; tsan) dir=$TSAN_BUILD ;;
	esac
	bin=$dir/tests/unit/$name
	[ -x "$bin" ] || { echo "$variant $name: missing binary $bin"; return 1; }
	log=$TMPDIR/$variant-$name.log
	if "$bin" >"$log" 2>&1; then
		echo "$variant $name: passed"
	else
		echo "$variant $name: FAILED"
		cat "$log"
		return 1
	fi
}

require_reference() {
	[ -x "$REF_MKFS" ] && [ -x "$REF_DB" ] && [ -x "$REF_REPAIR" ] ||
		skip "reference xfsprogs not installed (apt-get install xfsprogs)"
}

# can_loop_mount: true when this process may loop-mount an XFS image.
can_loop_mount() {
	[ "$(id -u)" = 0 ] || return 1
	grep -qw xfs /proc/filesystems 2>/dev/null || modprobe xfs 2>/dev/null || return 1
	command -v losetup >/dev/null || return 1
	return 0
}

# loop_mount IMG DIR [opts]: mount with cleanup registered in an EXIT trap.
LOOP_MOUNTS=()
cleanup_mounts() {
	local m
	for m in "${LOOP_MOUNTS[@]}"; do
		mountpoint -q "$m" && { umount "$m" 2>/dev/null || umount -l "$m"; }
	done
}
trap cleanup_mounts EXIT
loop_mount() {
	local img=$1 dir=$2 opts=${3:-}
	mkdir -p "$dir"
	LOOP_MOUNTS+=("$dir")
	mount -o loop${opts:+,$opts} "$img" "$dir"
}
