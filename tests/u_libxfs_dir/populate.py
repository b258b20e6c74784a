# populate.py MNT KIND: write a tree into the mounted XFS filesystem MNT
# for test_libxfs_dir and print, on stdout, what the kernel reports about
# it (names in hex):
#   D path ino fmt         a directory (fmt: sf|block|leaf|node|-), then
#   E name ino ftype       its entries, "." and ".." included
#   X path ino fmt         a file's xattrs (fmt: sf|leaf|node|-), then
#   V ns name value        one per attribute (ns: user|trusted|security)
#   L path ino target      a symlink
#   F path ino             a file whose block map is checked
# KIND: main (4k blocks), multi (1k blocks, 8k directory blocks, free
# space fragmented first) or big (inode numbers above 2^32).
#
# The kernel no longer mounts ASCII case-insensitive filesystems, so
# their tree goes in through the reference mkfs instead:
#   populate.py proto          prints a protofile (mkfs.xfs -p) of it
#   populate.py dbman IMG      prints the manifest as the reference
#                              `xfs_db ls` sees the image
import ctypes, fcntl, os, socket, stat, struct, subprocess, sys

CI_DIRS = [('sf', 5, 'MiXeD_%d'), ('block', 40, 'File_Name_%d'),
           ('leaf', 400, 'Leaf_Entry_Name_%d'), ('node', 3000, 'Node_Entry_%d')]
DB_FT = {'regular': 1, 'directory': 2, 'chardev': 3, 'blkdev': 4, 'fifo': 5,
         'socket': 6, 'symlink': 7}

if sys.argv[1] == 'proto':
    print('/dev/null\n0 0\nd--755 0 0')
    for d, n, pat in CI_DIRS:
        print('%s d--755 0 0' % d)
        for i in range(n):
            print('%s ---644 0 0 /dev/null' % (pat % i))
        print('$')
    print('$')
    sys.exit(0)
if sys.argv[1] == 'dbman':
    for d, fmt in [('.', '-')] + [(d, d) for d, n, pat in CI_DIRS]:
        ls = subprocess.run(['/usr/sbin/xfs_db', '-r', '-c',
                             'path /' + d.strip('.'), '-c', 'ls',
                             sys.argv[2]], capture_output=True,
                            check=True).stdout.splitlines()
        ents = []
        for line in ls:
            w = line.split(None, 5)
            name = w[5].rsplit(b' ', 1)[0]
            ents.append('E %s %s %d' % (name.hex(), w[1].decode(),
                                        DB_FT[w[2].decode()]))
            if name == b'.':
                print('D %s %s %s' % (d.encode().hex(), w[1].decode(), fmt))
        print('\n'.join(ents))
    sys.exit(0)

m = os.path.abspath(os.fsencode(sys.argv[1]))
kind = sys.argv[2]
FT = {stat.S_IFREG: 1, stat.S_IFDIR: 2, stat.S_IFCHR: 3, stat.S_IFBLK: 4,
      stat.S_IFIFO: 5, stat.S_IFSOCK: 6, stat.S_IFLNK: 7}
dirs, xattrs, links, files = [(b'.', '-')], [], [], []


def J(*p):
    return os.path.join(m, *p)


def mk(p, fmt='-'):
    os.mkdir(J(p))
    dirs.append((p, fmt))


def touch(p):
    open(J(p), 'wb').close()


def many(d, n, pat, link=None):
    for i in range(n):
        q = J(d, (pat % i).encode())
        if link:
            os.link(J(link), q)
        else:
            open(q, 'wb').close()


def val(n, seed):
    return bytes((seed * 7 + j * 13 + (j >> 8)) & 0xff for j in range(n))


def xa(p, fmt, items):
    for name, v in items:
        os.setxattr(J(p), name, v, follow_symlinks=False)
    xattrs.append((p, fmt))


def sym(p, target):
    os.symlink(target, J(p))
    links.append(p)


def collide(k):
    # Names with one hash: flipping bit 0 of a byte and bit 7 of the next
    # cancels out in the name hash (three such pairs per 4-byte group).
    b = bytearray(b'cOll1dE_nAmEs_xY')
    for t in range(12):
        if k >> t & 1:
            g, j = divmod(t, 3)
            b[4 * g + j] ^= 1
            b[4 * g + j + 1] ^= 0x80
    return bytes(b)


def fragment():
    # Fill the free space, then free every other block of the filler:
    # new directory blocks must then be put together from single blocks.
    # The reserve pool goes first (XFS_IOC_SET_RESBLKS to 0), or its
    # blocks would stay free in long extents (mkfs leaves out reflink and
    # finobt, whose per-AG reservations would do the same).
    d = os.open(m, os.O_RDONLY)
    fcntl.ioctl(d, (3 << 30) | (16 << 16) | (ord('X') << 8) | 114,
                struct.pack('QQ', 0, 0))
    os.close(d)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.fallocate.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int64,
                               ctypes.c_int64]
    bs = os.statvfs(m).f_frsize
    fd = os.open(J(b'filler'), os.O_CREAT | os.O_WRONLY)
    off = 0
    for chunk in (1 << 20, 64 << 10, bs):
        while libc.fallocate(fd, 0, off, chunk) == 0:
            off += chunk
    for o in range(0, min(off, 12000 * bs), 2 * bs):
        libc.fallocate(fd, 3, o, bs)    # KEEP_SIZE | PUNCH_HOLE
    os.close(fd)


if kind == 'main':
    mk(b'sf', 'sf')
    touch(b'sf/reg')
    mk(b'sf/sub', 'sf')
    sym(b'sf/lnk', b'reg')
    os.mkfifo(J(b'sf/fifo'))
    os.mknod(J(b'sf/chr'), stat.S_IFCHR | 0o600, os.makedev(1, 3))
    os.mknod(J(b'sf/blk'), stat.S_IFBLK | 0o600, os.makedev(7, 0))
    s = socket.socket(socket.AF_UNIX)
    os.chdir(J(b'sf'))          # socket paths are short
    s.bind(b'sock')
    os.chdir('/')
    s.close()
    touch(b'sf/\xff\x01odd name')
    mk(b'block', 'block')
    many(b'block', 50, 'file_%d')
    mk(b'leaf', 'leaf')
    many(b'leaf', 500, 'leaf_entry_name_%d')
    mk(b'leafdel', 'leaf')
    many(b'leafdel', 400, 'deleted_entry_%d')
    for i in range(0, 400, 3):
        os.unlink(J(b'leafdel', b'deleted_entry_%d' % i))
    mk(b'node', 'node')
    many(b'node', 5000, 'node_entry_name_%d')
    mk(b'holes', 'node')
    many(b'holes', 3000, 'some_entry_%05d')
    for i in range(400, 2400):
        os.unlink(J(b'holes', b'some_entry_%05d' % i))
    # One hash for all: the run spans several leaves of the dabtree.
    mk(b'collide', 'node')
    for k in range(1200):
        touch(J(b'collide', collide(k)))
    touch(b'attr_collide')
    xa(b'attr_collide', 'node', [('user.' + os.fsdecode(collide(k)),
                                  val(10, k)) for k in range(300)])
    for f, fmt in ((b'attr_sf', 'sf'), (b'attr_leaf', 'leaf'),
                   (b'attr_node', 'node'), (b'attr_remote', 'leaf'),
                   (b'attr_node_remote', 'node')):
        touch(f)
    xa(b'attr_sf', 'sf', [('user.a', b'1'), ('user.bb', b'two'),
                          ('trusted.t', b'tv'), ('security.s', b'sv')])
    xa(b'attr_leaf', 'leaf', [('user.attribute_%04d' % i, val(60, i))
                              for i in range(30)])
    xa(b'attr_node', 'node', [('user.attribute_%04d' % i, val(40, i))
                              for i in range(600)] +
       [('trusted.attribute_%04d' % i, val(10, i)) for i in range(20)])
    xa(b'attr_remote', 'leaf', [
        ('user.small', b'x'), ('user.r5000', val(5000, 1)),
        ('user.r20000', val(20000, 2)), ('trusted.r65536', val(65536, 3)),
        ('security.r4040', val(4040, 4)), ('user.r4041', val(4041, 5))])
    xa(b'attr_node_remote', 'node',
       [('user.attribute_%04d' % i, val(40, i)) for i in range(300)] +
       [('user.remote_%02d' % i, val(9000 + i, i)) for i in range(10)])
    # Entries that end exactly at the end of the leaf block: local
    # 3 + 12 + 61 = 76 bytes, remote names of 5 and 9 bytes.
    touch(b'attr_exact')
    xa(b'attr_exact', 'leaf', [('user.exact_fit_%02d' % i, val(61, i))
                               for i in range(40)])
    touch(b'attr_exact_rmt')
    xa(b'attr_exact_rmt', 'leaf', [('user.rem01', val(5000, 1)),
                                   ('user.rem000002', val(7000, 2)),
                                   ('user.x', b'y')])
    xa(b'sf', '-', [('user.d', b'dirattr')])
    mk(b'links', 'sf')
    sym(b'links/short', b'a/b')
    sym(b'links/inl', b'i' * 300)
    sym(b'links/rem', b'r' * 400)
    sym(b'links/max', b'm/' * 511 + b'm')
    sym(b'links/bytes', bytes(range(1, 256)))
    xa(b'links/rem', '-', [('trusted.l', b'lv')])
    a = os.open(J(b'frag'), os.O_CREAT | os.O_WRONLY)
    b = os.open(J(b'frag_other'), os.O_CREAT | os.O_WRONLY)
    for i in range(40):
        os.pwrite(a, b'a' * 4096, i * 8192)
        os.fsync(a)
        os.write(b, b'b' * 4096)
        os.fsync(b)
    os.close(a)
    os.close(b)
    files += [b'frag', b'frag_other']
elif kind == 'multi':
    mk(b'spare')
    many(b'spare', 300, 's%d')
    touch(b'target')
    for d, fmt in ((b'block', 'block'), (b'leaf', 'leaf'), (b'node', 'node'),
                   (b'links', 'sf')):
        mk(d, fmt)
    touch(b'attr_remote')
    touch(b'attr_node')
    fragment()
    for f in os.listdir(J(b'spare')):
        os.unlink(J(b'spare', f))
    many(b'block', 50, 'file_%d', b'target')
    many(b'leaf', 600, 'leaf_entry_name_%d', b'target')
    many(b'node', 3000, 'node_entry_name_%d', b'target')
    mk(b'holes', 'node')
    many(b'holes', 3000, 'e%05d', b'target')
    for i in range(500, 1500):
        os.unlink(J(b'holes', b'e%05d' % i))
    xa(b'attr_remote', 'leaf', [('user.big', val(65536, 7)),
                                ('user.mid', val(3000, 8)), ('user.s', b'x')])
    xa(b'attr_node', 'node', [('user.attribute_%04d' % i, val(40, i))
                              for i in range(400)] +
       [('user.remote', val(2000, 9))])
    sym(b'links/max', b'q' * 1023)
    sym(b'links/rem', b'z' * 1000)
    files += [b'filler', b'node', b'holes']   # bmbt-mapped directories
elif kind == 'big':
    mk(b'i8', 'sf')
    for i in range(8):
        mk(b'i8/d%d' % i, 'sf')
        touch(b'i8/d%d/f' % i)
        touch(b'i8/d%d/g' % i)
os.sync()

out = []
for p, fmt in dirs:
    st = os.lstat(J(p))
    out.append('D %s %d %s' % (p.hex(), st.st_ino, fmt))
    for n in [b'.', b'..'] + os.listdir(J(p)):
        # ".." of the root is the root, not the mount point's parent.
        s = st if p == b'.' and n == b'..' else os.lstat(J(p, n))
        out.append('E %s %d %d' % (n.hex(), s.st_ino,
                                   FT[stat.S_IFMT(s.st_mode)]))
for p, fmt in xattrs:
    out.append('X %s %d %s' % (p.hex(), os.lstat(J(p)).st_ino, fmt))
    for n in os.listxattr(J(p), follow_symlinks=False):
        ns, name = n.split('.', 1)
        v = os.getxattr(J(p), n, follow_symlinks=False)
        out.append('V %s %s %s' % (ns, os.fsencode(name).hex(),
                                   v.hex() or '-'))
for p in links:
    out.append('L %s %d %s' % (p.hex(), os.lstat(J(p)).st_ino,
                               os.readlink(J(p)).hex()))
for p in files:
    out.append('F %s %d' % (p.hex(), os.lstat(J(p)).st_ino))
print('\n'.join(out))
