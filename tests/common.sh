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
# Everything registered is unmounted (lazily if busy) and its loop device
# detached when the script exits, however it exits (INT/TERM/HUP included).
LOOP_MOUNTS=()
LOOP_IMAGES=()
EXIT_HOOKS=()
cleanup_mounts() {
	local m i img dev
	for ((i = ${#LOOP_MOUNTS[@]} - 1; i >= 0; i--)); do
		m=${LOOP_MOUNTS[$i]}
		mountpoint -q "$m" 2>/dev/null &&
			{ umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; }
	done
	for img in "${LOOP_IMAGES[@]}"; do
		[ -e "$img" ] || continue
		for dev in $(losetup -n -O NAME -j "$img" 2>/dev/null); do
			losetup -d "$dev" 2>/dev/null
		done
	done
	return 0
}
# add_exit_hook CMD...: run CMD at exit too (before the mounts are cleaned).
add_exit_hook() { EXIT_HOOKS+=("$*"); }
_run_exit_hooks() {
	local rc=$? h
	trap - EXIT
	for h in "${EXIT_HOOKS[@]}"; do eval "$h" 2>/dev/null; done
	cleanup_mounts
	exit $rc
}
trap _run_exit_hooks EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
loop_mount() {
	local img=$1 dir=$2 opts=${3:-}
	mkdir -p "$dir"
	LOOP_MOUNTS+=("$dir")
	LOOP_IMAGES+=("$(realpath "$img")")
	mount -o loop${opts:+,$opts} "$img" "$dir"
}
# loop_umount DIR: unmount now (mount -o loop detaches its loop device).
loop_umount() {
	local dir=$1
	mountpoint -q "$dir" || return 0
	umount "$dir" 2>/dev/null && return 0
	sync; sleep 1
	umount "$dir"
}

# PYTHON: a fast-starting python3 (the system one, not a version-manager shim).
if [ -z "${PYTHON:-}" ]; then
	if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3
	else PYTHON=$(command -v python3 || echo python3); fi
fi

# db_under_test: the xfs_db to exercise for crashes -- the ASan build when it
# exists and is not older than $DB (a stale one would test old code), else $DB.
db_under_test() {
	local asan=${ASAN_BUILD:-$TOP/build/asan}/db/xfs_db
	if [ -x "$asan" ] && ! [ "$DB" -nt "$asan" ]; then
		echo "$asan"
	else
		echo "$DB"
	fi
}

# ref_repair_problems IMG: the reference xfs_repair -n on IMG with its phase
# banners and host-geometry warnings removed -- what is left is a problem
# report; returns repair's exit status.
ref_repair_problems() {
	"$REF_REPAIR" -n "$1" 2>&1 | grep -v -E \
		'^Phase [0-9]|^        - |^Cannot get host|^Repair may fail|^the image and the host|^No modify flag'
	return "${PIPESTATUS[0]}"
}
