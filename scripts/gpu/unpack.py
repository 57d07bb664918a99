#!/usr/bin/env python3
"""Stand-in for xz, tar -J and dpkg -x on a machine that lacks them (standard library only).

scripts/gpu/run.sh calls it only when `xz` (or `dpkg`) is missing there:

  python3 unpack.py xz    FILE.xz     OUTFILE   # xz -dc FILE.xz > OUTFILE
  python3 unpack.py tarxz FILE.tar.xz DIR       # tar -xJf FILE.tar.xz -C DIR
  python3 unpack.py deb   FILE.deb    DIR       # dpkg -x FILE.deb DIR

Python's lzma reads every filter chain xz writes, the x86 (BCJ) filter that bundle.js uses
for the binaries included. Archive members that would land outside DIR (absolute paths,
`..`) are refused; symbolic links are kept, as tar and dpkg keep them.
"""
import io
import lzma
import os
import shutil
import sys
import tarfile


def _safe_members(tar, dest):
    root = os.path.realpath(dest)
    for member in tar.getmembers():
        target = os.path.realpath(os.path.join(root, member.name))
        if target != root and not target.startswith(root + os.sep):
            raise SystemExit(f"refusing {member.name!r}: it would land outside {dest}")
        if member.isdev():
            continue  # device nodes: neither needed nor allowed unprivileged
        yield member


def _extract(tar, dest):
    os.makedirs(dest, exist_ok=True)
    members = list(_safe_members(tar, dest))
    if hasattr(tarfile, "fully_trusted_filter"):
        # Paths were checked above; keep modes (executables) and links as tar does.
        tar.extractall(dest, members=members, filter="fully_trusted")
    else:
        tar.extractall(dest, members=members)


def unxz(src, dst):
    with lzma.open(src) as f, open(dst, "wb") as out:
        shutil.copyfileobj(f, out, 1 << 20)


def untarxz(src, dest):
    with tarfile.open(src, "r:xz") as tar:
        _extract(tar, dest)


def undeb(src, dest):
    """A .deb is an `ar` archive whose data.tar.* member holds the files."""
    with open(src, "rb") as f:
        if f.read(8) != b"!<arch>\n":
            raise SystemExit(f"{src}: not a .deb (no ar header)")
        while True:
            header = f.read(60)
            if len(header) < 60:
                break
            name = header[:16].decode("ascii").strip().rstrip("/")
            size = int(header[48:58].decode("ascii").strip())
            data = f.read(size)
            if size % 2:
                f.read(1)
            if name.startswith("data.tar"):
                if name.endswith(".zst"):
                    raise SystemExit(f"{src}: {name} is zstd-compressed, which Python's standard library cannot read")
                with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tar:
                    _extract(tar, dest)
                return
    raise SystemExit(f"{src}: no data.tar member")


OPS = {"xz": unxz, "tarxz": untarxz, "deb": undeb}

if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in OPS:
        raise SystemExit(__doc__)
    OPS[sys.argv[1]](sys.argv[2], sys.argv[3])
