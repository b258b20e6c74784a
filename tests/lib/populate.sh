# tests/lib/populate.sh: build XFS images whose metadata exercises every
# on-disk format, through the kernel, for comparing our tools with the
# reference xfsprogs.  Source it from a case script (after tests/common.sh,
# which it sources itself when needed).
#
#   populate_tree DIR [SCALE]
#       Write the standard tree into DIR, the root of a mounted XFS
#       filesystem.  Counts adapt to the block, directory-block and inode
#       sizes (read with the XFS_IOC_FSGEOMETRY ioctl) so that every format
#       is reached on any geometry; SCALE (default 1) multiplies only the
#       bulk counts (node directory, node attr fork, btree file).  Content is
#       deterministic: same geometry and kernel, same tree.
#   make_ref_image IMG SIZE [mkfs options...]
#       Reference mkfs (fixed UUID unless -m uuid= is among the options),
#       mount (cleaned up by trap), populate_tree, unmount.  Returns 77 with
#       a reason printed when the image cannot be loop-mounted here, 1 on any
#       other failure.  POPULATE_SCALE and POPULATE_MOUNT_OPTS (e.g.
#       "uquota,gquota"; nouuid is always added) are honoured, and so is
#       POPULATE_MKFS_ENV, VAR=VALUE words put in mkfs's environment: e.g.
#       POPULATE_SMALL_FS_ENV below lets the reference make filesystems
#       under 300 MiB (the switch fstests uses).
#   image_inode_of IMG PATH
#       Inode number of PATH, from the reference `xfs_db -r path ... stack`.
#   image_dir_format IMG PATH     prints shortform|block|leaf|node
#   image_attr_format IMG PATH    prints none|shortform|leaf|node
#   image_fork_format IMG PATH    prints the data fork's core.format
#                                 (local|extents|btree|dev) and core.nextents
#   image_verify_formats IMG      one line per standard path with the format
#                                 reached; exits non-zero when one is missed
#
# Paths in the tree (see POPULATE_PATHS_* below for the lists scripts use):
#   /dirs/sf /dirs/block /dirs/leaf /dirs/node   directories in each format
#   /dirs/empty /dirs/sticky /dirs/deep/a/b/c/d/e
#   /files/empty small oneblock big sparse btree unwritten hardlink.a
#          hardlink.b interleaved.0..3 setuid owned
#   /links/short /links/medium /links/remote /links/dangling /links/todir
#   /devices/blk /devices/chr /devices/fifo /devices/socket
#   /attrs/sf /attrs/leaf /attrs/node /attrs/remote /attrs/dir

if ! declare -F can_loop_mount >/dev/null; then
	. "${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}/tests/common.sh"
fi

: "${REF_MKFS:=/usr/sbin/mkfs.xfs}" "${REF_DB:=/usr/sbin/xfs_db}"
POPULATE_UUID=${POPULATE_UUID:-d0c0ffee-1234-4abc-8def-0123456789ab}

# mkfs.xfs 6.1 accepts unsupported small geometries when all three are set.
POPULATE_SMALL_FS_ENV="TEST_DIR=/nonexistent TEST_DEV=/nonexistent QA_CHECK_FS=xfs"
POPULATE_PATHS_DIRS="/dirs/sf /dirs/block /dirs/leaf /dirs/node"
POPULATE_PATHS_ATTRS="/attrs/sf /attrs/leaf /attrs/node /attrs/remote"

# The bulk of the work is one Python program: thousands of creates cost a
# fork each in shell.  Extended attributes go through setfattr --restore
# (package attr) when it is installed, else through os.setxattr.
_POPULATE_PY=$(cat <<'EOF'
import fcntl, os, socket, struct, sys

root = sys.argv[1]
scale = max(1, int(sys.argv[2]))
attr_script = sys.argv[3]          # "" = set xattrs directly

# --- geometry ---------------------------------------------------------------
bsize, isize, dirblk, flags = 4096, 512, 4096, 0x8000 | 0x10000
try:
    # XFS_IOC_FSGEOMETRY_V1 = _IOR('X', 100, struct xfs_fsop_geom_v1 [112])
    req = (2 << 30) | (112 << 16) | (ord('X') << 8) | 100
    fd = os.open(root, os.O_RDONLY)
    buf = fcntl.ioctl(fd, req, bytes(112))
    os.close(fd)
    bsize, _, _, _, _, _, isize = struct.unpack_from('<7I', buf, 0)
    flags, = struct.unpack_from('<I', buf, 92)
    dirblk, = struct.unpack_from('<I', buf, 104)
except OSError:
    st = os.statvfs(root)
    bsize = dirblk = st.f_bsize
v5 = bool(flags & 0x8000)
ftype = 1 if (v5 or flags & 0x10000) else 0
lit = isize - (176 if v5 else 100)          # inode literal area
r8 = lambda n: (n + 7) & ~7
r4 = lambda n: (n + 3) & ~3

# --- directory entry counts (names are NAMELEN bytes) -------------------------
NAMELEN = 12
sf_cap = (lit - 6) // (NAMELEN + 4 + ftype + 3)
dhdr = 64 if v5 else 16
entsz = r8(8 + 1 + NAMELEN + ftype + 2)
block_cap = (dirblk - dhdr - 8 - 2 * (r8(8 + 1 + 1 + ftype + 2) + 8)) // (entsz + 8)
per_data = (dirblk - dhdr) // entsz
lhdr = 64 if v5 else 16
leaf_cap = 0
while True:
    n = leaf_cap + 1
    need = 8 * (n + 2) + 4 * (-(-(n + 2) // per_data)) + 4
    if need > dirblk - lhdr:
        break
    leaf_cap = n
n_block = max(sf_cap + 1, (sf_cap + block_cap) // 2)
n_leaf = max(block_cap + 1, (block_cap + leaf_cap) // 2)
n_node = max(4 * leaf_cap, 2000) * scale

# --- attr counts (name a%09d = 10 bytes, value 20 bytes) ------------------------
ANAME, AVAL = 10, 20
sfa_cap = (lit - 4 - 16) // (3 + ANAME + AVAL)
ahdr = 80 if v5 else 32
leafa_cap = (bsize - ahdr) // (8 + r4(3 + ANAME + AVAL))
n_attr_sf = 3
n_attr_leaf = max(sfa_cap + 2, (sfa_cap + leafa_cap) // 2)
n_attr_node = max(4 * leafa_cap, 200) * scale

# --- btree-format file ---------------------------------------------------------
inline_ext = lit // 16
n_ext = max(3 * inline_ext, 300) * scale

def P(*parts):
    return os.path.join(root, *parts)

def data(n, seed):
    """n deterministic bytes derived from seed (no randomness)."""
    unit = ("%s:" % seed).encode() + bytes(range(32, 127))
    return (unit * (n // len(unit) + 1))[:n]

def write(path, content, mode=0o644):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    os.write(fd, content)
    os.close(fd)

def touch(path, mode=0o644):
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))

for d in ("dirs", "files", "links", "devices", "attrs"):
    os.mkdir(P(d), 0o755)

# --- directories ---------------------------------------------------------------
os.mkdir(P("dirs", "sf"))
os.mkdir(P("dirs", "sf", "sub"))
write(P("dirs", "sf", "file"), b"in a shortform directory\n")
os.symlink("file", P("dirs", "sf", "link"))
for name, n in (("block", n_block), ("leaf", n_leaf), ("node", n_node)):
    d = P("dirs", name)
    os.mkdir(d)
    for i in range(n):
        # a few subdirectories and links among the files, so ftype varies
        nm = "e%011d" % i
        if i % 97 == 5:
            os.mkdir(os.path.join(d, nm))
        elif i % 89 == 7:
            os.symlink("t%d" % i, os.path.join(d, nm))
        else:
            touch(os.path.join(d, nm))
os.mkdir(P("dirs", "empty"))
os.mkdir(P("dirs", "sticky"), 0o1777)
os.chmod(P("dirs", "sticky"), 0o1777)
os.makedirs(P("dirs", "deep", "a", "b", "c", "d", "e"))
write(P("dirs", "deep", "a", "b", "c", "d", "e", "leaf"), b"deep\n")

# --- regular files -----------------------------------------------------------
touch(P("files", "empty"))
write(P("files", "small"), data(100, "small"))
write(P("files", "oneblock"), data(bsize, "oneblock"))
write(P("files", "big"), data(1 << 20, "big"))
fd = os.open(P("files", "sparse"), os.O_WRONLY | os.O_CREAT, 0o644)
os.pwrite(fd, data(bsize, "s0"), 0)
os.pwrite(fd, data(bsize, "s1"), 4 << 20)
os.ftruncate(fd, 8 << 20)
os.close(fd)
# every other block, highest offset first (no speculative preallocation
# beyond EOF can fill the holes), one extent per written block
fd = os.open(P("files", "btree"), os.O_WRONLY | os.O_CREAT, 0o644)
for i in reversed(range(n_ext)):
    os.pwrite(fd, data(bsize, "b%d" % i), 2 * i * bsize)
os.fsync(fd)
os.close(fd)
# preallocated (unwritten) extents, partly written
fd = os.open(P("files", "unwritten"), os.O_WRONLY | os.O_CREAT, 0o644)
os.posix_fallocate(fd, 0, 64 * bsize)
os.pwrite(fd, data(bsize, "u"), 8 * bsize)
os.fsync(fd)
os.close(fd)
# interleaved small appends with fsync
fds = [os.open(P("files", "interleaved.%d" % k), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
       for k in range(4)]
for r in range(24):
    for k, fd in enumerate(fds):
        os.write(fd, data(bsize, "i%d.%d" % (k, r)))
        os.fsync(fd)
for fd in fds:
    os.close(fd)
write(P("files", "hardlink.a"), data(300, "hl"))
os.link(P("files", "hardlink.a"), P("files", "hardlink.b"))
os.link(P("files", "hardlink.a"), P("dirs", "sf", "hardlink.c"))
write(P("files", "setuid"), b"#!/bin/sh\n", 0o4755)
os.chmod(P("files", "setuid"), 0o6755)
write(P("files", "owned"), b"owned\n", 0o600)
os.chown(P("files", "owned"), 1000, 100)

# --- symlinks ------------------------------------------------------------------
os.symlink("../files/small", P("links", "short"))
medium = "/medium/" + "m123456789/" * 27           # 305 bytes
remote = "/remote/" + "r123456789/" * 90 + "end"   # 1001 bytes
os.symlink(medium[:300], P("links", "medium"))
os.symlink(remote[:1000], P("links", "remote"))
os.symlink("does/not/exist", P("links", "dangling"))
os.symlink("../dirs/sf", P("links", "todir"))

# --- special files -------------------------------------------------------------
os.mknod(P("devices", "blk"), 0o660 | 0o060000, os.makedev(8, 1))
os.mknod(P("devices", "chr"), 0o666 | 0o020000, os.makedev(1, 3))
os.mknod(P("devices", "bigdev"), 0o600 | 0o020000, os.makedev(259, 65537))
os.mkfifo(P("devices", "fifo"), 0o644)
cwd = os.getcwd()
os.chdir(P("devices"))                    # sun_path is limited to 108 bytes
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind("socket")
s.close()
os.chdir(cwd)

# --- extended attributes -------------------------------------------------------
attrs = {}      # path -> list of (name, value bytes)
def aval(i, tag):
    return ("value-%s%09d" % (tag, i)).encode()[:AVAL].ljust(AVAL, b".")
for f in ("sf", "leaf", "node", "remote"):
    touch(P("attrs", f))
os.mkdir(P("attrs", "dir"))
attrs[P("attrs", "sf")] = [("user.a%09d" % i, aval(i, "s")) for i in range(n_attr_sf - 1)] + \
                          [("trusted.t000000000", aval(0, "t"))]
attrs[P("attrs", "dir")] = [("user.a000000000", b"on a directory"),
                            ("trusted.a000000000", b"trusted one")]
attrs[P("attrs", "leaf")] = [("%s.a%09d" % ("trusted" if i % 5 == 0 else "user", i), aval(i, "l"))
                             for i in range(n_attr_leaf)]
attrs[P("attrs", "node")] = [("%s.a%09d" % ("trusted" if i % 7 == 0 else "user", i), aval(i, "n"))
                             for i in range(n_attr_node)]
attrs[P("attrs", "remote")] = [("user.a000000000", aval(0, "r")),
                               ("user.big1", data(bsize // 2 + 100, "rv1")),
                               ("user.big2", data(2 * bsize + 123, "rv2")),
                               ("trusted.big3", data(3 * bsize, "rv3"))]
# a file whose data fork is btree and that also carries attributes
attrs[P("files", "btree")] = [("user.btree", b"attr on a btree-format file")]

if attr_script:
    with open(attr_script, "w") as out:
        for path, lst in attrs.items():
            out.write("# file: %s\n" % path)
            for name, val in lst:
                out.write("%s=0x%s\n" % (name, val.hex()))
            out.write("\n")
else:
    for path, lst in attrs.items():
        for name, val in lst:
            os.setxattr(path, name, val)

print("populate: bsize=%d dirblk=%d isize=%d v5=%d dirs sf=3 block=%d leaf=%d node=%d "
      "attrs sf=%d leaf=%d node=%d btree-extents=%d"
      % (bsize, dirblk, isize, v5, n_block, n_leaf, n_node,
         n_attr_sf, n_attr_leaf, n_attr_node, n_ext), file=sys.stderr)
EOF
)

# populate_tree DIR [SCALE]
# The counts chosen go to stderr when POPULATE_VERBOSE=1.
populate_tree() {
	local dir=$1 scale=${2:-1} ascript="" log rc=0
	[ -d "$dir" ] || { echo "populate_tree: $dir is not a directory" >&2; return 1; }
	log=$(mktemp "${TMPDIR:-/tmp}/populate-log.XXXXXX") || return 1
	if command -v setfattr >/dev/null; then
		ascript=$(mktemp "${TMPDIR:-/tmp}/populate-attrs.XXXXXX") || return 1
	fi
	"$PYTHON" -c "$_POPULATE_PY" "$dir" "$scale" "$ascript" 2>"$log" || rc=1
	if [ $rc = 0 ] && [ -n "$ascript" ]; then
		setfattr --restore="$ascript" 2>>"$log" || rc=1
	fi
	if [ $rc != 0 ]; then
		echo "populate_tree: populating $dir failed:" >&2
		tail -n 20 "$log" >&2
	elif [ "${POPULATE_VERBOSE:-0}" = 1 ]; then
		cat "$log" >&2
	fi
	rm -f "$log" ${ascript:+"$ascript"}
	sync -f "$dir" 2>/dev/null || sync
	return $rc
}

# make_ref_image IMG SIZE [mkfs options...]
make_ref_image() {
	local img=$1 size=$2; shift 2
	local opts=("$@") o have_uuid=0 mnt
	can_loop_mount || {
		echo "cannot loop-mount XFS images here (need root, XFS in /proc/filesystems, losetup)"
		return 77
	}
	[ -x "$REF_MKFS" ] || { echo "reference mkfs.xfs missing ($REF_MKFS)"; return 77; }
	for o in "${opts[@]}"; do
		case $o in *uuid=*) have_uuid=1 ;; esac
	done
	[ $have_uuid = 1 ] || opts+=(-m "uuid=$POPULATE_UUID")
	rm -f "$img"
	truncate -s "$size" "$img" || return 1
	# shellcheck disable=SC2086
	if ! env ${POPULATE_MKFS_ENV:-} "$REF_MKFS" -q -f "${opts[@]}" "$img" >"$img.mkfs.log" 2>&1; then
		echo "make_ref_image: reference mkfs.xfs ${opts[*]} failed:"
		cat "$img.mkfs.log"
		rm -f "$img.mkfs.log"
		return 1
	fi
	rm -f "$img.mkfs.log"
	mnt=$(mktemp -d "${TMPDIR:-/tmp}/mnt.XXXXXX") || return 1
	# nouuid: images built side by side share the fixed UUID
	if ! loop_mount "$img" "$mnt" "nouuid${POPULATE_MOUNT_OPTS:+,$POPULATE_MOUNT_OPTS}" 2>"$mnt.err"; then
		local why
		why=$(head -n1 "$mnt.err")
		rm -f "$mnt.err"; rmdir "$mnt"
		case $why in
		*"loop device"*|*ermission*|*"not permitted"*|*"only root"*)
			echo "cannot loop-mount XFS images here: $why"
			return 77 ;;
		esac
		echo "make_ref_image: mounting $img failed: $why"
		dmesg 2>/dev/null | tail -n 5
		return 1
	fi
	rm -f "$mnt.err"
	local rc=0
	populate_tree "$mnt" "${POPULATE_SCALE:-1}" || rc=1
	loop_umount "$mnt" || rc=1
	rmdir "$mnt" 2>/dev/null
	return $rc
}

# image_inode_of IMG PATH
image_inode_of() {
	"$REF_DB" -r -c "path $2" -c stack "$1" 2>/dev/null |
		sed -n 's/^[[:space:]]*inode \([0-9][0-9]*\),.*/\1/p' | tail -n1 | grep . ||
		{ echo "image_inode_of: $2 not found in $1" >&2; return 1; }
}

# _image_field IMG PATH FIELD...: values of the inode's fields (one a line)
_image_fields() {
	local img=$1 path=$2 f args=(); shift 2
	for f in "$@"; do args+=(-c "p $f"); done
	"$REF_DB" -r -c "path $path" "${args[@]}" "$img" 2>/dev/null | sed 's/^[^=]* = //'
}

# image_fork_format IMG PATH: "FORMAT NEXTENTS" of the data fork
image_fork_format() {
	local v
	v=$(_image_fields "$1" "$2" core.format core.nextents) || return 1
	# "2 (extents)" -> extents
	echo "$v" | sed -n '1s/.*(\(.*\)).*/\1/p;2p' | paste -sd' '
}

# image_dir_format IMG PATH: shortform, block, leaf or node
image_dir_format() {
	local img=$1 path=$2 fmt dirblklog bsize leafoff freeoff
	fmt=$(image_fork_format "$img" "$path" | cut -d' ' -f1)
	[ "$fmt" = local ] && { echo shortform; return; }
	bsize=$("$REF_DB" -r -c 'sb 0' -c 'p blocksize' "$img" | sed 's/.* = //')
	dirblklog=$("$REF_DB" -r -c 'sb 0' -c 'p dirblklog' "$img" | sed 's/.* = //')
	leafoff=$(( (32 << 30) / bsize ))
	freeoff=$(( 2 * leafoff ))
	# bmap lines: "data offset O startblock B (A/G) count N flag F"
	"$REF_DB" -r -c "path $path" -c bmap "$img" 2>/dev/null | awk -v l="$leafoff" -v f="$freeoff" '
		/^data offset/ { o = $3; n = $8
			if (o + n > f) free = 1; else if (o + n > l) leaf += n; else data += n }
		END { if (free) print "node"; else if (leaf) print "leaf"; else print "block" }'
}

# image_attr_format IMG PATH: none, shortform, leaf or node
image_attr_format() {
	local img=$1 path=$2 v magic
	v=$(_image_fields "$img" "$path" core.forkoff core.aformat) || return 1
	[ "$(echo "$v" | head -n1)" = 0 ] && { echo none; return; }
	case $(echo "$v" | sed -n 2p) in
	*local*) echo shortform; return ;;
	esac
	magic=$("$REF_DB" -r -c "path $path" -c "ablock 0" -c "p hdr.info.magic" \
		-c "p hdr.info.hdr.magic" "$img" 2>/dev/null | sed -n 's/.* = //p' | head -n1)
	case $magic in
	0xfbee|0x3bee) echo leaf ;;
	0xfebe|0x3ebe) echo node ;;
	*) echo "unknown($magic)" ;;
	esac
}

# image_verify_formats IMG: check that the standard tree reached every format
image_verify_formats() {
	local img=$1 rc=0 got p want
	_check() {
		if [ "$2" = "$3" ]; then echo "  $1: $2"
		else echo "  $1: $2 (WANTED $3)"; rc=1; fi
	}
	for p in sf block leaf node; do
		want=$p; [ $p = sf ] && want=shortform
		got=$(image_dir_format "$img" /dirs/$p); _check "/dirs/$p dir" "$got" "$want"
	done
	for p in sf leaf node; do
		want=$p; [ $p = sf ] && want=shortform
		got=$(image_attr_format "$img" /attrs/$p); _check "/attrs/$p attr" "$got" "$want"
	done
	got=$(image_attr_format "$img" /attrs/remote); _check "/attrs/remote attr" "$got" leaf
	got=$("$REF_DB" -r -c "path /attrs/remote" -c "ablock 0" -c print "$img" 2>/dev/null |
	      grep -c 'valueblk')
	[ "${got:-0}" -ge 1 ] && got=remote-values || got=no-remote-values
	_check "/attrs/remote values" "$got" remote-values
	got=$(image_fork_format "$img" /files/btree | cut -d' ' -f1); _check "/files/btree data fork" "$got" btree
	got=$(image_fork_format "$img" /links/short | cut -d' ' -f1); _check "/links/short" "$got" local
	got=$(image_fork_format "$img" /links/remote | cut -d' ' -f1); _check "/links/remote" "$got" extents
	got=$(image_fork_format "$img" /devices/blk | cut -d' ' -f1); _check "/devices/blk" "$got" dev
	return $rc
}
