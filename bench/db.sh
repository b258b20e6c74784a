#!/usr/bin/env bash
# bench/db.sh: xfs_db whole-filesystem scans, ours against the reference, on
# an image with about 200,000 inodes (BENCH_DB_FILES) built once through a
# kernel mount and cached in /var/tmp/xfsbench/ (BENCH_CACHE).
# Prints, from medians of BENCH_RUNS (5) runs:
#   db freesp ours=Xs ref=Ys ratio=Z                  freesp -s
#   db blockget ours=Xs ref=Ys ratio=Z                blockget -n
#   db blockget+ncheck ours=Xs ref=Ys ratio=Z         blockget -n, ncheck
# "ours=FAILED" when our xfs_db fails or its output differs from the
# reference's (so a stub that prints nothing is not timed as fast).
set -u
cd "$(dirname "$0")/.." || exit 1
TOP=$(pwd)
. bench/lib.sh
DB=${DB:-$TOP/db/xfs_db}
REF_DB=${REF_DB:-/usr/sbin/xfs_db}
REF_MKFS=${REF_MKFS:-/usr/sbin/mkfs.xfs}
FILES=${BENCH_DB_FILES:-200000}
export LC_ALL=C

[ -x "$REF_DB" ] && [ -x "$REF_MKFS" ] || { echo "db: skipped (reference xfsprogs missing)"; exit 0; }
PYTHON=${PYTHON:-/usr/bin/python3}
[ -x "$PYTHON" ] || PYTHON=$(command -v python3)

cache=$(bench_cache_dir) || { echo "db: skipped (no cache directory)"; exit 0; }
RECIPE="v1 files=$FILES"
img=$cache/db-$FILES.img

# --- build the image once -------------------------------------------------
mnt=
cleanup() {
	if [ -n "$mnt" ]; then
		mountpoint -q "$mnt" && { umount "$mnt" 2>/dev/null || umount -l "$mnt"; }
		rmdir "$mnt" 2>/dev/null
		for dev in $(losetup -n -O NAME -j "$img" 2>/dev/null); do losetup -d "$dev"; done
	fi
}
trap cleanup EXIT
trap 'exit 130' INT; trap 'exit 143' TERM

build_image() {
	[ "$(id -u)" = 0 ] && grep -qw xfs /proc/filesystems ||
		{ echo "db: skipped (building the image needs root and XFS in the kernel)"; return 77; }
	echo "db: building $img ($FILES inodes; once, cached)" >&2
	rm -f "$img" "$img.recipe"
	truncate -s 2g "$img" || return 1
	"$REF_MKFS" -q -f -m uuid=b0b0b0b0-0000-4000-8000-000000000200 "$img" || return 1
	mnt=$(mktemp -d /var/tmp/xfsbench-mnt.XXXXXX) || return 1
	mount -o loop "$img" "$mnt" || { echo "db: skipped (cannot loop-mount)"; return 77; }
	# 200 directories of FILES/200 entries (node-format directories); every
	# 10th file gets one block of data, every 50th two non-adjacent blocks,
	# so free space and extent maps are not trivial.
	"$PYTHON" - "$mnt" "$FILES" <<'PY' || return 1
import os, sys
root, total = sys.argv[1], int(sys.argv[2])
ndirs = 200
per = -(-total // ndirs)
blk = b"x" * 4096
n = 0
for d in range(ndirs):
    dp = os.path.join(root, "d%03d" % d)
    os.mkdir(dp)
    for f in range(per):
        if n >= total - ndirs - 1:
            break
        p = os.path.join(dp, "f%06d" % f)
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        if n % 50 == 0:
            os.pwrite(fd, blk, 0)
            os.pwrite(fd, blk, 3 * 4096)
        elif n % 10 == 0:
            os.write(fd, blk)
        os.close(fd)
        n += 1
PY
	umount "$mnt" && rmdir "$mnt" && mnt=
	echo "$RECIPE" >"$img.recipe"
}

if [ ! -f "$img.recipe" ] || [ "$(cat "$img.recipe")" != "$RECIPE" ]; then
	build_image
	r=$?
	[ $r = 77 ] && exit 0
	[ $r = 0 ] || { echo "db: FAILED to build the benchmark image"; exit 1; }
fi

# --- time ------------------------------------------------------------------
work=$(mktemp -d /var/tmp/xfsbench-db.XXXXXX) || exit 1
trap 'cleanup; rm -rf "$work"' EXIT

# bench NAME CMD...: time the xfs_db commands with both tools, runs
# interleaved (ref, ours, ref, ours...) so that load drifts hit both alike
bench() {
	local name=$1 c args=() ref ours i t rt=() ot=() ok=1; shift
	for c in "$@"; do args+=(-c "$c"); done
	"$REF_DB" -r "${args[@]}" "$img" >"$work/ref.out" 2>&1
	if [ ! -x "$DB" ]; then
		ok=0
	elif ! timeout 600 "$DB" -r "${args[@]}" "$img" >"$work/ours.out" 2>&1 </dev/null; then
		ok=0
	elif ! cmp -s "$work/ref.out" "$work/ours.out"; then
		ok=0
		echo "db $name: our output differs from the reference's" >&2
	fi
	for ((i = 0; i < ${BENCH_RUNS:-5}; i++)); do
		t=$(time_once "$REF_DB" -r "${args[@]}" "$img") && rt+=("$t")
		if [ $ok = 1 ]; then
			t=$(time_once "$DB" -r "${args[@]}" "$img") && ot+=("$t") || ok=0
		fi
	done
	ref=FAILED; [ ${#rt[@]} -gt 0 ] && ref=$(median_s "${rt[@]}")
	ours=FAILED; [ $ok = 1 ] && ours=$(median_s "${ot[@]}")
	bench_line "db $name" "$ours" "$ref"
}

bench freesp "freesp -s"
bench blockget "blockget -n"
bench blockget+ncheck "blockget -n" "ncheck"
