#!/usr/bin/env python3
# tests/lib/prototree.py: trees for the mkfs.xfs -p cases and benchmarks.
#
#   prototree.py gen DIR [--entries N] [--seed S] [--simple N]
#       Write the standard tree into DIR (best on tmpfs, which takes 64 KiB
#       xattr values): a directory of N entries (default 30000), directories
#       in every size class, a 64 MiB sparse file, a file of 400 extents,
#       short/long/maximal symlinks, hard links (files and a symlink), char
#       and block devices, a fifo and a socket, setuid/setgid/sticky modes,
#       owners, times with nanoseconds, xattrs in the user, trusted and
#       security namespaces up to 64 KiB.  Deterministic for a given seed.
#       --simple N instead writes N small files over 100 directories (the
#       benchmark tree: what both mkfs -p can represent).
#   prototree.py proto DIR [--ref] [--slashes] [--skipped FILE]
#       Print a protofile describing DIR.  Hard links become copies; times
#       and xattrs are not representable.  --ref keeps to what xfsprogs 6.1
#       takes (3-digit modes, no sockets, symlinks short enough to be
#       inline, plain names); --slashes writes spaces in names as '/'
#       (for slashes_are_spaces=1).  Paths left out go to --skipped.
#   prototree.py compare SRC DST [--proto] [--ref] [--atime] [--ignore FILE]
#       Compare two trees: names, types, modes, owners, sizes, content
#       hashes, symlink targets, device numbers, hard-link identity, link
#       counts, mtimes (and atimes), xattrs, and that holes stayed holes.
#       --proto: DST came from a protofile (no times, xattrs or hard
#       links); --ref: and from the reference (sticky bit not carried);
#       --no-holes: do not require holes to stay holes.
#       Prints a summary line, then up to 30 differences; exit 1 if any.
import hashlib
import os
import random
import socket
import stat
import struct
import sys

NS = 1000000000


def w(path, data):
    with open(path, "wb") as f:
        f.write(data)


def acl(*entries):
    """A system.posix_acl_* value: (tag, perm, id) entries, in order."""
    return struct.pack("<I", 2) + b"".join(
        struct.pack("<HHI", t, p, i) for t, p, i in entries)


NOID = 0xffffffff


def setx(path, name, value, follow=True):
    try:
        os.setxattr(path, name, value, follow_symlinks=follow)
        return True
    except OSError:
        return False


def gen_tree(root, entries, seed):
    rnd = random.Random(seed)
    os.makedirs(root, exist_ok=True)
    os.chmod(root, 0o755)
    j = os.path.join

    # One big directory, and directories in every size class.
    big = j(root, "big")
    os.mkdir(big)
    for i in range(entries):
        p = j(big, "entry-%06d" % i)
        if i % 97 == 0:
            w(p, rnd.randbytes(1 + i % 5000))
        else:
            w(p, b"")
    for name, n in (("empty", 0), ("sf", 5), ("block", 40), ("leaf", 400),
                    ("node", 3000)):
        d = j(root, "dirs", name)
        os.makedirs(d)
        for i in range(n):
            w(j(d, "file_with_a_longer_name_%05d" % i), b"x" * (i % 7))
    d = j(root, "deep")
    for i in range(24):
        d = j(d, "level%02d" % i)
    os.makedirs(d)
    w(j(d, "bottom"), b"deep\n")

    # Regular files.
    f = j(root, "files")
    os.mkdir(f)
    w(j(f, "empty"), b"")
    w(j(f, "small"), rnd.randbytes(100))
    w(j(f, "oneblock"), rnd.randbytes(4096))
    w(j(f, "odd"), rnd.randbytes(12345))
    w(j(f, "big"), rnd.randbytes(3 << 20))
    w(j(f, "zeros"), bytes(65536))
    with open(j(f, "sparse64m"), "wb") as fh:
        for off, n in ((0, 4096), (1 << 20, 65536), (32 << 20, 8192),
                       ((64 << 20) - 100, 100)):
            fh.seek(off)
            fh.write(rnd.randbytes(n))
        fh.truncate(64 << 20)
    with open(j(f, "manyext"), "wb") as fh:
        for i in range(400):
            fh.seek(i * 8192)
            fh.write(rnd.randbytes(4096))
    with open(j(f, "allholes"), "wb") as fh:
        fh.truncate(10 << 20)

    # Symbolic links (targets without spaces or colons).
    L = j(root, "links")
    os.mkdir(L)
    os.symlink("target", j(L, "short"))
    os.symlink("m" * 200, j(L, "medium"))
    os.symlink("/" + "long/" * 199 + "end", j(L, "long"))
    os.symlink("x" * 1023, j(L, "max"))
    os.symlink("../nowhere", j(L, "dangling"))
    os.symlink("../dirs", j(L, "todir"))

    # Hard links: a file under three names, a symlink under two.
    h = j(root, "hard")
    os.mkdir(h)
    w(j(h, "a"), b"linked content\n")
    os.link(j(h, "a"), j(h, "b"))
    os.link(j(h, "a"), j(root, "dirs", "sf", "third_name"))
    os.symlink("somewhere", j(h, "sl1"))
    os.link(j(h, "sl1"), j(h, "sl2"), follow_symlinks=False)

    # Special files.
    dv = j(root, "dev")
    os.mkdir(dv)
    os.mknod(j(dv, "null"), 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    os.mknod(j(dv, "sda1"), 0o660 | stat.S_IFBLK, os.makedev(8, 1))
    os.mknod(j(dv, "bignum"), 0o600 | stat.S_IFCHR, os.makedev(300, 70000))
    os.mkfifo(j(dv, "fifo"), 0o644)
    cwd = os.getcwd()
    os.chdir(dv)
    s = socket.socket(socket.AF_UNIX)
    s.bind("sock")
    s.close()
    os.chdir(cwd)

    # Modes and owners.
    m = j(root, "modes")
    os.mkdir(m)
    for name, mode in (("suid", 0o4755), ("sgid", 0o2755), ("all", 0o7777),
                       ("none", 0o000), ("ro", 0o444)):
        w(j(m, name), name.encode())
        os.chmod(j(m, name), mode)
    for name, mode in (("sticky", 0o1777), ("sgiddir", 0o2775),
                       ("private", 0o700)):
        os.mkdir(j(m, name))
        os.chmod(j(m, name), mode)
    o = j(root, "owners")
    os.mkdir(o)
    for name, uid, gid in (("u1000", 1000, 1000), ("nobody", 65534, 65534),
                           ("big", 123456, 654321)):
        w(j(o, name), b"owned")
        os.chown(j(o, name), uid, gid)
    os.mkdir(j(o, "dir"))
    os.chown(j(o, "dir"), 42, 43)
    os.symlink("u1000", j(o, "link"))
    os.chown(j(o, "link"), 7, 8, follow_symlinks=False)

    # Extended attributes.
    x = j(root, "xattrs")
    os.mkdir(x)
    for name in ("small", "empty", "ns", "many", "node", "remote64k",
                 "remote3"):
        w(j(x, name), name.encode())
    setx(j(x, "small"), "user.a", b"1")
    setx(j(x, "empty"), "user.empty", b"")
    setx(j(x, "ns"), "user.u", b"user value")
    setx(j(x, "ns"), "trusted.t", b"trusted value")
    setx(j(x, "ns"), "security.s", b"security value")
    for i in range(100):
        setx(j(x, "many"), "user.attr%03d" % i, rnd.randbytes(20))
    for i in range(600):
        setx(j(x, "node"), "user.a_rather_long_attribute_name_%04d" % i,
             rnd.randbytes(40))
    setx(j(x, "remote64k"), "user.big", rnd.randbytes(65536))
    for i in range(3):
        setx(j(x, "remote3"), "trusted.r%d" % i, rnd.randbytes(20000))
    os.mkdir(j(x, "dir"))
    setx(j(x, "dir"), "user.ondir", b"dir value")
    os.symlink("small", j(x, "link"))
    setx(j(x, "link"), "trusted.onlink", b"link value", follow=False)
    # POSIX ACLs (where the source file system keeps them): an access
    # ACL with named users and groups, and a directory with a default
    # ACL too (tags: user_obj 1, user 2, group_obj 4, group 8, mask 16,
    # other 32).
    w(j(x, "acl"), b"acl")
    os.chmod(j(x, "acl"), 0o664)
    setx(j(x, "acl"), "system.posix_acl_access",
         acl((1, 6, NOID), (2, 6, 1234), (2, 4, 1235), (4, 4, NOID),
             (8, 4, 55), (16, 6, NOID), (32, 4, NOID)))
    os.mkdir(j(x, "acldir"))
    os.chmod(j(x, "acldir"), 0o775)
    setx(j(x, "acldir"), "system.posix_acl_access",
         acl((1, 7, NOID), (4, 5, NOID), (8, 7, 56), (16, 7, NOID),
             (32, 5, NOID)))
    setx(j(x, "acldir"), "system.posix_acl_default",
         acl((1, 7, NOID), (2, 7, 1234), (4, 5, NOID), (16, 7, NOID),
             (32, 5, NOID)))

    # Names.
    nm = j(root, "names")
    os.mkdir(nm)
    for name in ("h\u00e9llo", "n" * 255, "a:b", "-dash", "$dollar",
                 "UPPER", "tab\there"):
        w(j(nm, name), name.encode())
    # Names with spaces on entries that need no source path (a protofile
    # source path cannot hold a space).
    os.mkfifo(j(nm, "fifo with space"))
    os.mkdir(j(nm, "dir with space"))
    os.symlink("with_space_target", j(nm, "link with space"))

    # Times: every entry gets a fixed mtime and atime (with nanoseconds),
    # directories last so that creating entries does not change them.
    paths = []
    for dp, dn, fn in os.walk(root):
        paths += [j(dp, n) for n in fn + dn]
    paths.sort(key=lambda p: (-p.count("/"), p))
    for i, p in enumerate(paths + [root]):
        mt = 1500000000 * NS + i * 1000003 + 7
        at = 1600000000 * NS + i * 999983 + 11
        os.utime(p, ns=(at, mt), follow_symlinks=False)


def gen_simple(root, n, seed):
    rnd = random.Random(seed)
    os.makedirs(root, exist_ok=True)
    for i in range(n):
        d = os.path.join(root, "d%03d" % (i % 100))
        if i < 100:
            os.mkdir(d)
        w(os.path.join(d, "f%06d" % i), rnd.randbytes(i % 3000))


def mode_string(st, ref):
    t = {stat.S_IFREG: "-", stat.S_IFDIR: "d", stat.S_IFCHR: "c",
         stat.S_IFBLK: "b", stat.S_IFIFO: "p", stat.S_IFLNK: "l",
         stat.S_IFSOCK: "s"}[stat.S_IFMT(st.st_mode)]
    m = st.st_mode
    s = t + ("u" if m & stat.S_ISUID else "-") + \
        ("g" if m & stat.S_ISGID else "-")
    if m & stat.S_ISVTX and not ref:
        return s + "%04o" % (m & 0o1777)
    return s + "%03o" % (m & 0o777)


def proto(root, ref, slashes, skipped_file):
    out = ["boot", "0 0"]
    skipped = []
    st = os.lstat(root)
    out.append("%s %d %d" % (mode_string(st, ref), st.st_uid, st.st_gid))

    def bad_name(n):
        if n == "$" or ":" in n or "\t" in n or "\n" in n:
            return True
        if " " in n and (ref or not slashes):
            return True
        return ref and not n.isascii()

    def walk(d, rel, depth):
        for n in sorted(os.listdir(d), key=os.fsencode):
            p = os.path.join(d, n)
            r = rel + "/" + n
            st = os.lstat(p)
            if bad_name(n) or (ref and stat.S_ISSOCK(st.st_mode)):
                skipped.append(r)
                continue
            ind = "  " * depth
            name = n.replace(" ", "/") if slashes else n
            head = "%s%s %s %d %d" % (ind, name, mode_string(st, ref),
                                      st.st_uid, st.st_gid)
            if stat.S_ISREG(st.st_mode):
                out.append(head + " " + os.path.abspath(p))
            elif stat.S_ISLNK(st.st_mode):
                t = os.readlink(p)
                if (ref and len(t) > 300) or " " in t or ":" in t or \
                        not t.isascii():
                    skipped.append(r)
                    continue
                out.append(head + " " + t)
            elif stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
                out.append(head + " %d %d" % (os.major(st.st_rdev),
                                              os.minor(st.st_rdev)))
            elif stat.S_ISDIR(st.st_mode):
                out.append(head)
                walk(p, r, depth + 1)
                out.append(ind + "$")
            else:
                out.append(head)

    walk(root, "", 1)
    out.append("$")
    if skipped_file:
        with open(skipped_file, "w") as f:
            f.write("".join(s + "\n" for s in skipped))
    sys.stdout.write("\n".join(out) + "\n")


def scan(root):
    ents = {}
    for dp, dn, fn in os.walk(root):
        for n in dn + fn:
            p = os.path.join(dp, n)
            ents["/" + os.path.relpath(p, root)] = p
    ents["/"] = root
    return ents


ACL_NAMES = ("system.posix_acl_access", "system.posix_acl_default")


def xattrs(p):
    try:
        names = os.listxattr(p, follow_symlinks=False)
    except OSError:
        return {}
    r = {}
    for n in names:
        # XFS shows its ACLs twice: as system.posix_acl_* (compared) and
        # as the trusted.SGI_ACL_* attributes that hold them.
        if n in ("trusted.SGI_ACL_FILE", "trusted.SGI_ACL_DEFAULT"):
            continue
        if n.startswith("system.") and n not in ACL_NAMES:
            continue
        r[n] = hashlib.sha256(os.getxattr(p, n, follow_symlinks=False)
                              ).hexdigest()[:16]
    return r


def digest(p):
    h = hashlib.sha256()
    with open(p, "rb") as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                break
            h.update(b)
    return h.hexdigest()


def data_bytes(p):
    """Bytes of p inside data regions (SEEK_DATA/SEEK_HOLE)."""
    total = 0
    with open(p, "rb") as f:
        fd = f.fileno()
        size = os.fstat(fd).st_size
        off = 0
        while off < size:
            try:
                d = os.lseek(fd, off, os.SEEK_DATA)
            except OSError:
                break
            h = os.lseek(fd, d, os.SEEK_HOLE)
            total += h - d
            off = h
    return total


def readlink(p):
    try:
        return os.readlink(p)
    except OSError as e:
        return "<%s>" % e.strerror


def compare(src, dst, is_proto, ref, atime, ignore, holes=True):
    skip = set()
    if ignore:
        with open(ignore) as f:
            skip = {l.rstrip("\n") for l in f if l.strip()}

    def ignored(r):
        return any(r == s or r.startswith(s + "/") for s in skip)

    # Directories that lost entries to the ignore list lose links too.
    short = {os.path.dirname(s) or "/" for s in skip}
    a, b = scan(src), scan(dst)
    diffs = []
    acls = 0
    for r in sorted(set(a) | set(b)):
        if ignored(r):
            continue
        if r not in b:
            diffs.append("%s: missing from %s" % (r, "image"))
            continue
        if r not in a:
            diffs.append("%s: not in the source" % r)
            continue
        sa, sb = os.lstat(a[r]), os.lstat(b[r])
        fa, fb = stat.S_IFMT(sa.st_mode), stat.S_IFMT(sb.st_mode)
        if fa != fb:
            diffs.append("%s: type %o != %o" % (r, fa, fb))
            continue
        mask = 0o6777 if ref else 0o7777
        if fa == stat.S_IFLNK:
            mask = 0  # symlink permissions mean nothing
        if (sa.st_mode & mask) != (sb.st_mode & mask):
            diffs.append("%s: mode %o != %o" % (r, sa.st_mode, sb.st_mode))
        if (sa.st_uid, sa.st_gid) != (sb.st_uid, sb.st_gid):
            diffs.append("%s: owner %d:%d != %d:%d" % (
                r, sa.st_uid, sa.st_gid, sb.st_uid, sb.st_gid))
        if fa == stat.S_IFREG:
            if sa.st_size != sb.st_size:
                diffs.append("%s: size %d != %d" % (r, sa.st_size,
                                                    sb.st_size))
            elif digest(a[r]) != digest(b[r]):
                diffs.append("%s: content differs" % r)
            da, db = data_bytes(a[r]), data_bytes(b[r])
            if holes and db > da + 65536:
                diffs.append("%s: holes filled (%d data bytes, source %d)"
                             % (r, db, da))
        if fa == stat.S_IFLNK and readlink(a[r]) != readlink(b[r]):
            diffs.append("%s: link target differs" % r)
        if fa in (stat.S_IFCHR, stat.S_IFBLK) and sa.st_rdev != sb.st_rdev:
            diffs.append("%s: rdev %d:%d != %d:%d" % (
                r, os.major(sa.st_rdev), os.minor(sa.st_rdev),
                os.major(sb.st_rdev), os.minor(sb.st_rdev)))
        if (fa == stat.S_IFDIR and r not in short) or not is_proto:
            if sa.st_nlink != sb.st_nlink:
                diffs.append("%s: nlink %d != %d" % (r, sa.st_nlink,
                                                     sb.st_nlink))
        if not is_proto:
            if sa.st_mtime_ns != sb.st_mtime_ns:
                diffs.append("%s: mtime %d != %d" % (r, sa.st_mtime_ns,
                                                     sb.st_mtime_ns))
            if atime and sa.st_atime_ns != sb.st_atime_ns:
                diffs.append("%s: atime %d != %d" % (r, sa.st_atime_ns,
                                                     sb.st_atime_ns))
            xa, xb = xattrs(a[r]), xattrs(b[r])
            acls += sum(1 for n in xa if n in ACL_NAMES)
            if xa != xb:
                diffs.append("%s: xattrs differ: %s" % (
                    r, sorted(set(xa.items()) ^ set(xb.items()))[:4]))

    links = 0
    if not is_proto:
        # Hard-link identity: the same groups of names share an inode.
        def groups(ents):
            g = {}
            for r, p in ents.items():
                if ignored(r):
                    continue
                st = os.lstat(p)
                if not stat.S_ISDIR(st.st_mode):
                    g.setdefault(st.st_ino, []).append(r)
            return sorted(sorted(v) for v in g.values() if len(v) > 1)
        ga, gb = groups(a), groups(b)
        links = len(ga)
        if ga != gb:
            diffs.append("hard links differ: %s != %s" % (ga[:3], gb[:3]))

    n = sum(1 for r in a if not ignored(r))
    print("compared %d entries (%d hard-link groups%s): %d differences" % (
        n, links, ", %d ACLs" % acls if acls else "", len(diffs)))
    for d in diffs[:30]:
        print("  " + d)
    return 1 if diffs else 0


def main(argv):
    import argparse
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen")
    g.add_argument("dir")
    g.add_argument("--entries", type=int, default=30000)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--simple", type=int, default=0)
    p = sub.add_parser("proto")
    p.add_argument("dir")
    p.add_argument("--ref", action="store_true")
    p.add_argument("--slashes", action="store_true")
    p.add_argument("--skipped")
    c = sub.add_parser("compare")
    c.add_argument("src")
    c.add_argument("dst")
    c.add_argument("--proto", action="store_true")
    c.add_argument("--ref", action="store_true")
    c.add_argument("--atime", action="store_true")
    c.add_argument("--ignore")
    c.add_argument("--no-holes", action="store_true")
    a = ap.parse_args(argv)
    if a.cmd == "gen":
        if a.simple:
            gen_simple(a.dir, a.simple, a.seed)
        else:
            gen_tree(a.dir, a.entries, a.seed)
        return 0
    if a.cmd == "proto":
        proto(a.dir, a.ref, a.slashes, a.skipped)
        return 0
    return compare(a.src, a.dst, a.proto or a.ref, a.ref, a.atime,
                   a.ignore, not a.no_holes)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
