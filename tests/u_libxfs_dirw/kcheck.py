# kcheck.py IMG MANIFEST: the kernel's view of an image test_libxfs_dirw
# wrote.  Mounts IMG (loop), checks that every directory listed in the
# manifest holds exactly the names (and inode numbers) given, every
# symlink the target given, every file exactly the xattrs given; then
# changes the tree (adds and removes entries and xattrs) and unmounts.
# Manifest lines, names/targets/values in hex:
#   D path                 a directory whose full listing follows
#   E path name ino        one of its entries
#   L path target          a symlink
#   X path                 a file whose full xattr list follows
#   A path ns name value   one attribute (ns: user|trusted|security)
# Exit 0: all as expected; 1: a mismatch (printed); 77: cannot mount.
import os, subprocess, sys, tempfile

img, manifest = sys.argv[1], sys.argv[2]
dirs, links, xattrs = {}, {}, {}
for line in open(manifest):
    f = line.split()
    if not f:
        continue
    if f[0] == 'D':
        dirs[f[1]] = {}
    elif f[0] == 'E':
        dirs[f[1]][bytes.fromhex(f[2])] = int(f[3])
    elif f[0] == 'L':
        links[f[1]] = bytes.fromhex(f[2])
    elif f[0] == 'X':
        xattrs[f[1]] = {}
    elif f[0] == 'A':
        xattrs[f[1]][f[2].encode() + b'.' + bytes.fromhex(f[3])] = \
            b'' if f[4] == '-' else bytes.fromhex(f[4])

mnt = tempfile.mkdtemp(prefix='dirw-mnt.')
if subprocess.call(['mount', '-o', 'loop', img, mnt],
                   stderr=subprocess.DEVNULL) != 0:
    os.rmdir(mnt)
    print('# skip: cannot loop-mount the image')
    sys.exit(77)

bad = 0
def fail(msg):
    global bad
    bad += 1
    if bad <= 20:
        print('kernel: ' + msg)

try:
    for d, want in sorted(dirs.items()):
        p = (mnt + d).encode()
        got = {}
        for n in os.listdir(p):
            got[n] = os.lstat(p + b'/' + n).st_ino
        if got != want:
            miss = set(want) - set(got)
            extra = set(got) - set(want)
            fail('%s: %d names, want %d (missing %d, extra %d, ino diffs %d)'
                 % (d, len(got), len(want), len(miss), len(extra),
                    sum(1 for n in want if n in got and got[n] != want[n])))
    for l, want in sorted(links.items()):
        got = os.readlink((mnt + l).encode())
        if got != want:
            fail('%s: link target of %d bytes, want %d' % (l, len(got), len(want)))
    for x, want in sorted(xattrs.items()):
        p = (mnt + x).encode()
        names = set(n.encode() for n in os.listxattr(p, follow_symlinks=False))
        if names != set(want):
            fail('%s: %d xattrs, want %d' % (x, len(names), len(want)))
            continue
        for n, v in want.items():
            try:
                got = os.getxattr(p, n, follow_symlinks=False)
            except OSError as e:
                fail('%s: getxattr %s: %s' % (x, n[:40], e))
                continue
            if got != v:
                fail('%s: xattr %s has %d bytes, want %d' % (x, n[:40], len(got), len(v)))
    # Change what we wrote: the kernel must be able to.
    for d in sorted(dirs):
        if not d.startswith('/d'):
            continue
        p = (mnt + d).encode()
        names = sorted(dirs[d])
        for n in names[:len(names) // 3:7]:
            full = p + b'/' + n
            if os.path.isdir(full) and not os.path.islink(full):
                continue
            os.unlink(full)
        for i in range(min(60, len(names) + 3)):
            open(p + b'/kernel-added-%d' % i, 'w').close()
    for x, want in sorted(xattrs.items()):
        p = (mnt + x).encode()
        for n in sorted(want)[::5]:
            os.removexattr(p, n, follow_symlinks=False)
        if not os.path.islink(p):
            os.setxattr(p, b'user.kernel-added', b'k' * 100)
finally:
    subprocess.call(['umount', mnt])
    os.rmdir(mnt)
print('kernel: %d dirs, %d symlinks, %d xattr files checked, %d problems'
      % (len(dirs), len(links), len(xattrs), bad))
sys.exit(1 if bad else 0)
