#!/usr/bin/env bash
# bench/mkfs_proto.sh: mkfs.xfs -p, ours against the reference, on a tree
# of BENCH_PROTO_FILES (25000) small files in 100 directories (generated
# on a tmpfs, so that reading the sources costs the same for both), and
# our mkfs with allocation offload on against off.  Both mkfs read the
# same protofile (the reference's format); ours also copies the directory
# itself (-p DIR).  Every image is written to a file on the same file
# system.  Prints, from medians of BENCH_RUNS (5) runs:
#   mkfs -p protofile ours=Xs ref=Ys ratio=Z       goal: ratio <= 0.50
#   mkfs -p DIR ours=Xs ref=Ys ratio=Z             (ref: its protofile run)
#   mkfs -p protofile cpu ours=Xs ref=Ys ratio=Z   (user + system time)
#   mkfs -p offload on/off on=Xs off=Ys overhead=P%   goal: <= 5%
# "ours=FAILED" when our mkfs fails or its image is not clean (reference
# xfs_repair -n) or differs from the tree.
set -u
cd "$(dirname "$0")/.." || exit 1
TOP=$(pwd)
. bench/lib.sh
MKFS=${MKFS:-$TOP/mkfs/mkfs.xfs}
REF_MKFS=${REF_MKFS:-/usr/sbin/mkfs.xfs}
REF_REPAIR=${REF_REPAIR:-/usr/sbin/xfs_repair}
FILES=${BENCH_PROTO_FILES:-25000}
PYTHON=${PYTHON:-/usr/bin/python3}
[ -x "$PYTHON" ] || PYTHON=$(command -v python3)
export LC_ALL=C

[ -x "$REF_MKFS" ] || { echo "mkfs_proto: skipped (reference xfsprogs missing)"; exit 0; }
[ "$(id -u)" = 0 ] || { echo "mkfs_proto: skipped (needs root for tmpfs)"; exit 0; }

work=$(mktemp -d /var/tmp/xfsbench-proto.XXXXXX) || exit 1
src=$work/src
cleanup() {
	mountpoint -q "$src" && umount "$src"
	for d in "$work"/mnt; do mountpoint -q "$d" && umount "$d"; done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT; trap 'exit 143' TERM

mkdir -p "$src" && mount -t tmpfs -o size=2g,noatime tmpfs "$src" || exit 1
"$PYTHON" tests/lib/prototree.py gen "$src/t" --simple "$FILES" || exit 1
"$PYTHON" tests/lib/prototree.py proto "$src/t" --ref >"$work/t.proto" || exit 1
img=$work/img
uuid=b0b0b0b0-0000-4000-8000-0000000000e5

run_mkfs() {	# run_mkfs MKFS ARGS...: fresh image, then mkfs
	local m=$1
	shift
	rm -f "$img" && truncate -s 2g "$img" && "$m" -q -f -m uuid=$uuid "$@" "$img"
}

# A correctness gate before timing ours: clean image, same tree.
check_ours() {
	run_mkfs "$MKFS" "$@" || return 1
	"$REF_REPAIR" -n "$img" >/dev/null 2>&1 || return 1
	if grep -qw xfs /proc/filesystems; then
		mkdir -p "$work/mnt"
		mount -o loop,ro,nouuid "$img" "$work/mnt" || return 1
		"$PYTHON" tests/lib/prototree.py compare "$src/t" "$work/mnt" --ref \
			>/dev/null
		local rc=$?
		umount "$work/mnt"
		return $rc
	fi
}

ref=$(median_time run_mkfs "$REF_MKFS" -p "$work/t.proto")
ours=FAILED
check_ours -p "$work/t.proto" && ours=$(median_time run_mkfs "$MKFS" -p "$work/t.proto")
bench_line "mkfs -p protofile" "$ours" "$ref"
ours=FAILED
check_ours -p "$src/t" && ours=$(median_time run_mkfs "$MKFS" -p "$src/t")
bench_line "mkfs -p DIR" "$ours" "$ref"

on=FAILED off=FAILED
if [ "$ours" != FAILED ]; then
	on=$(median_time run_mkfs "$MKFS" -p "$src/t")
	export LIBXFS_ALLOC_OFFLOAD=0
	off=$(median_time run_mkfs "$MKFS" -p "$src/t")
	unset LIBXFS_ALLOC_OFFLOAD
fi
# CPU time (user + system, medians): steadier than wall time on a shared
# machine, and what the hand-offs cost.
cpu_once() {	# cpu_once ARGS...: CPU seconds of run_mkfs ARGS
	local f=$work/cpu
	/usr/bin/time -f "%U %S" -o "$f" bash -c "$(declare -f run_mkfs); img=$img uuid=$uuid run_mkfs \"\$@\"" _ "$@" \
		>/dev/null 2>&1 </dev/null || { echo FAILED; return 1; }
	awk '{ printf "%d\n", ($1 + $2) * 1000000 }' "$f"
}
cpu_median() {
	local i t ts=()
	for ((i = 0; i < ${BENCH_RUNS:-5}; i++)); do
		t=$(cpu_once "$@") || { echo FAILED; return 1; }
		ts+=("$t")
	done
	median_s "${ts[@]}"
}
if [ -x /usr/bin/time ] && [ "$ours" != FAILED ]; then
	rc=$(cpu_median "$REF_MKFS" -p "$work/t.proto")
	oc=$(cpu_median "$MKFS" -p "$work/t.proto")
	bench_line "mkfs -p protofile cpu" "$oc" "$rc"
fi

[[ $on =~ ^[0-9.]+$ ]] && on=${on}s
[[ $off =~ ^[0-9.]+$ ]] && off=${off}s
echo "mkfs -p offload on/off on=$on off=$off overhead=$(awk -v a="$on" -v b="$off" \
	'BEGIN { sub(/s$/, "", a); sub(/s$/, "", b); if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b <= 0) print "n/a"; else printf "%.1f%%\n", (a / b - 1) * 100 }')"
