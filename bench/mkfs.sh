#!/usr/bin/env bash
# bench/mkfs.sh: mkfs.xfs, ours against the reference, on sparse image
# files, and the cost of the allocation hand-off inside mkfs.
# Prints, from medians of BENCH_RUNS (5) runs:
#   mkfs 16g ours=Xs ref=Ys ratio=Z              default geometry, 16 GiB
#   mkfs 1t ours=Xs ref=Ys ratio=Z               default geometry, 1 TiB
#   mkfs 1t agcount=N rmapbt ours=Xs ref=Ys ratio=Z
#                                                many AGs: one free-list
#                                                fill (allocation) per AG
#   mkfs offload on=Xs off=Ys ratio=Z calls=N per-call=Wus
#                                                the many-AG run with the
#                                                allocations handed to a
#                                                worker against inline
#                                                (LIBXFS_ALLOC_OFFLOAD=0)
# "ours=FAILED" when our mkfs fails or its superblock differs from the
# reference's (so a mkfs that writes nothing is not timed as fast).
set -u
cd "$(dirname "$0")/.." || exit 1
TOP=$(pwd)
. bench/lib.sh
MKFS=${MKFS:-$TOP/mkfs/mkfs.xfs}
REF_MKFS=${REF_MKFS:-/usr/sbin/mkfs.xfs}
REF_DB=${REF_DB:-/usr/sbin/xfs_db}
AGS=${BENCH_MKFS_AGS:-4096}
UUID=b0b0b0b0-0000-4000-8000-000000000300
export LC_ALL=C

[ -x "$REF_MKFS" ] && [ -x "$REF_DB" ] || { echo "mkfs: skipped (reference xfsprogs missing)"; exit 0; }
dir=$(bench_cache_dir) || { echo "mkfs: skipped (no cache directory)"; exit 0; }
img=$dir/mkfs-bench.img
trap 'rm -f "$img"' EXIT

# One mkfs on a fresh sparse file of the given size.
fresh_mkfs() {
	local size=$1; shift
	fresh_image "$img" "$size" && "$@" -q -f -m uuid=$UUID "$img"
}

# Our mkfs must make the reference's superblock before it is timed.
same_sb() {
	local size=$1; shift
	local r o
	fresh_mkfs "$size" "$REF_MKFS" "$@" >/dev/null 2>&1 || return 1
	r=$("$REF_DB" -r -c 'sb 0' -c print "$img")
	fresh_mkfs "$size" "$MKFS" "$@" >/dev/null 2>&1 || return 1
	o=$("$REF_DB" -r -c 'sb 0' -c print "$img")
	[ "$r" = "$o" ]
}

# One timed mkfs (microseconds) on an image made outside the timing.
timed_mkfs() {	# timed_mkfs SIZE MKFS ARGS...
	local size=$1 m=$2
	shift 2
	fresh_image "$img" "$size" || { echo FAILED; return 1; }
	time_once "$m" -q -f -m uuid=$UUID "$@" "$img"
}

# The reference and ours alternate, so load changes hit both alike.
compare() {
	local name=$1 size=$2 i t ok=true rs=() os=(); shift 2
	same_sb "$size" "$@" || ok=false
	for ((i = 0; i < ${BENCH_RUNS:-5}; i++)); do
		t=$(timed_mkfs "$size" "$REF_MKFS" "$@") && rs+=("$t")
		if $ok; then
			t=$(timed_mkfs "$size" "$MKFS" "$@") && os+=("$t") || ok=false
		fi
	done
	bench_line "$name" "$($ok && median_s "${os[@]}" || echo FAILED)" \
		"$([ ${#rs[@]} -gt 0 ] && median_s "${rs[@]}" || echo FAILED)"
}

compare "mkfs 16g" 16g
compare "mkfs 1t" 1t
compare "mkfs 1t agcount=$AGS rmapbt" 1t -d agcount=$AGS -m rmapbt=1

# Offload on against off, same many-AG run; calls from the statistics.
# Offload on and off alternate, each on an image made outside the timing,
# so a change in the machine's load hits both alike.
ons=() offs=()
for ((i = 0; i < ${BENCH_RUNS:-5}; i++)); do
	for mode in 1 0; do
		t=$(LIBXFS_ALLOC_OFFLOAD=$mode timed_mkfs 1t "$MKFS" \
			-d agcount=$AGS -m rmapbt=1) || break
		if [ $mode = 1 ]; then ons+=("$t"); else offs+=("$t"); fi
	done
done
on=FAILED off=FAILED
if [ ${#ons[@]} -gt 0 ] && [ ${#offs[@]} -gt 0 ]; then
	on=$(median_s "${ons[@]}")
	off=$(median_s "${offs[@]}")
fi
calls=$(fresh_image "$img" 1t; LIBXFS_ALLOC_STATS=1 "$MKFS" -q -f \
	-d agcount=$AGS -m rmapbt=1 "$img" 2>&1 | sed -n 's/^alloc: calls=\([0-9]*\).*/\1/p')
per=$(awk -v a="$on" -v b="$off" -v c="${calls:-0}" 'BEGIN {
	if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || c + 0 <= 0) { print "n/a"; exit }
	printf "%.1fus\n", (a - b) * 1e6 / c }')
echo "mkfs offload on=${on}s off=${off}s ratio=$(ratio "$on" "$off") calls=${calls:-?} per-call=$per"
