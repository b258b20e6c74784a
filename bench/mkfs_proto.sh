#!/usr/bin/env bash
# bench/mkfs_proto.sh: mkfs.xfs -p, ours against the reference, on a tree
# of BENCH_PROTO_FILES (25000) small files in 100 directories (generated
# on a tmpfs, so that reading the sources costs the same for both), and
# our mkfs with allocation offload on against off.  Both mkfs read the
# same protofile (the reference's format); ours also copies the directory
# itself (-p DIR).  Every image is written to a file on the same file
# system, made fresh before each run outside the timing; the runs being
# compared alternate (reference, ours, reference, ours...), so a change in
# the machine's load hits both alike.  Prints, from medians of BENCH_RUNS
# (5) runs:
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
	fresh_image "$img" 2g && "$m" -q -f -m uuid=$uuid "$@" "$img"
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

# One timed run (microseconds): a fresh image first, outside the timing.
timed() {	# timed CMD...: CMD -q -f -m uuid=... IMAGE
	fresh_image "$img" 2g || { echo FAILED; return 1; }
	time_once "$@" -q -f -m uuid=$uuid "$img"
}

# CPU microseconds (user + system) of one run, the image made before.
cpu() {	# cpu CMD...
	local f=$work/cpu
	fresh_image "$img" 2g || { echo FAILED; return 1; }
	/usr/bin/time -f "%U %S" -o "$f" "$@" -q -f -m uuid=$uuid "$img" \
		>/dev/null 2>&1 </dev/null || { echo FAILED; return 1; }
	awk '{ printf "%d\n", ($1 + $2) * 1000000 }' "$f"
}

# paired HOW "A ARGS" "B ARGS": A and B alternately BENCH_RUNS times,
# timed by HOW (timed or cpu); prints the two medians in seconds.
paired() {
	local how=$1 a=$2 b=$3 i t as=() bs=()
	for ((i = 0; i < ${BENCH_RUNS:-5}; i++)); do
		t=$(eval "$how $a") || { echo "FAILED FAILED"; return 1; }
		as+=("$t")
		t=$(eval "$how $b") || { echo "FAILED FAILED"; return 1; }
		bs+=("$t")
	done
	echo "$(median_s "${as[@]}") $(median_s "${bs[@]}")"
}

ours_ok=false
check_ours -p "$work/t.proto" && check_ours -p "$src/t" && ours_ok=true
if $ours_ok; then
	read -r ref ours < <(paired timed '"$REF_MKFS" -p "$work/t.proto"' \
				      '"$MKFS" -p "$work/t.proto"')
	bench_line "mkfs -p protofile" "$ours" "$ref"
	read -r ref ours < <(paired timed '"$REF_MKFS" -p "$work/t.proto"' \
				      '"$MKFS" -p "$src/t"')
	bench_line "mkfs -p DIR" "$ours" "$ref"
	if [ -x /usr/bin/time ]; then
		read -r ref ours < <(paired cpu '"$REF_MKFS" -p "$work/t.proto"' \
					      '"$MKFS" -p "$work/t.proto"')
		bench_line "mkfs -p protofile cpu" "$ours" "$ref"
	fi
	read -r on off < <(paired timed '"$MKFS" -p "$src/t"' \
				      'env LIBXFS_ALLOC_OFFLOAD=0 "$MKFS" -p "$src/t"')
else
	ref=$(paired timed '"$REF_MKFS" -p "$work/t.proto"' \
		'"$REF_MKFS" -p "$work/t.proto"' | cut -d' ' -f1)
	bench_line "mkfs -p protofile" FAILED "$ref"
	bench_line "mkfs -p DIR" FAILED "$ref"
	on=FAILED off=FAILED
fi

[[ $on =~ ^[0-9.]+$ ]] && on=${on}s
[[ $off =~ ^[0-9.]+$ ]] && off=${off}s
echo "mkfs -p offload on/off on=$on off=$off overhead=$(awk -v a="$on" -v b="$off" \
	'BEGIN { sub(/s$/, "", a); sub(/s$/, "", b); if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b <= 0) print "n/a"; else printf "%.1f%%\n", (a / b - 1) * 100 }')"
