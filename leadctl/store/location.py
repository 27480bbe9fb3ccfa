"""Where a database may live: local filesystems only (SQLite's locking is unsafe elsewhere), in private folders."""

from __future__ import annotations

import os
from pathlib import Path

from leadctl.errors import ConfigError
from leadctl.i18n import _

# local filesystems whose locks and shared memory SQLite's WAL relies on; anything else (NFS, SMB, FUSE, cluster and
# object-store filesystems, virtiofs, 9p...) may lose a lock and corrupt the file, so it is refused unless named in
# ALLOW_FILESYSTEM_ENV by someone who knows that their filesystem's locking is sound
LOCAL_FILESYSTEMS = frozenset({
    "ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "f2fs", "jfs", "reiserfs", "bcachefs", "nilfs2", "ufs",
    "vfat", "exfat", "ntfs3", "tmpfs", "ramfs", "overlay", "apfs", "hfs", "hfsplus",
})
ALLOW_FILESYSTEM_ENV = "LEADCTL_ALLOW_FILESYSTEM"


def filesystem_of(path: Path, mounts: str) -> str:
    """The filesystem type holding `path`, from /proc/mounts-formatted text."""
    best, kind = "", ""
    target = str(path.resolve())
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best):
            best, kind = point, parts[2]
    return kind


def refuse_network_filesystem(path: Path, mounts: str | None = None) -> None:
    """Refuse a database outside the local filesystems SQLite's locking is known to work on (an allow list).

    Where there is no mount table to read (macOS, BSD) nothing is refused."""
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text()
        except OSError:
            return
    kind = filesystem_of(path, mounts)
    allowed = {k.strip() for k in os.environ.get(ALLOW_FILESYSTEM_ENV, "").split(",") if k.strip()}
    if kind not in LOCAL_FILESYSTEMS and kind not in allowed:
        raise ConfigError(
            _("{path} is on a network filesystem or one SQLite's locking is not known to work on ({value})").format(
                path=path, value=kind or "unknown"
            ),
            _(
                "keep the database on a local disk, or set {ALLOW_FILESYSTEM_ENV}={value} if you know its "
                "locking is sound"
            ).format(ALLOW_FILESYSTEM_ENV=ALLOW_FILESYSTEM_ENV, value=kind or "TYPE"),
        )


def make_folders(folder: Path) -> None:
    """Create each missing folder on the way to `folder`, 0700 (the database's folder holds its backups too)."""
    missing = []
    while not folder.exists() and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    for each in reversed(missing):
        try:
            os.mkdir(each, 0o700)
            os.chmod(each, 0o700)
        except FileExistsError:
            pass
        except OSError as exc:
            raise ConfigError(_("cannot create the folder {each}: {strerror}").format(each=each, strerror=exc.strerror),
                              _("choose another --db path, or create the folder yourself")) from None
