"""Read only regular files inside the repository; say in Swedish why anything else is refused.

Everything in a pull request is untrusted, and git stores symbolic links: a link
``docs/passwd.png -> /etc/passwd`` would otherwise be copied into the published site, and a
FIFO in ``overviews/`` would block a reader forever. So every source file is classified with
``os.lstat``/``os.stat`` *before* it is opened:

- a regular file is read;
- a symbolic link is allowed only when its final target (every link along the way resolved)
  is a regular file inside the repository; it is read through that target;
- FIFOs, sockets, devices, folders where a file is expected, broken links and links that
  leave the repository are refused.

The file is then opened with ``O_NONBLOCK | O_NOFOLLOW`` and checked again with ``fstat``,
so a file swapped for a FIFO or a link between the check and the open is refused too, and
never blocks. Messages name the repository-relative path the author sees, never the
absolute path on the build machine.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

OUTSIDE = "outside"  # a link whose target is outside the repository
SPECIAL = "special"  # not a regular file (FIFO, socket, device, folder)
BROKEN = "broken"  # a link to nothing


@dataclass(frozen=True)
class Refusal:
    """Why a path is not read: ``reason`` is one of OUTSIDE, SPECIAL, BROKEN; ``kind`` is Swedish."""

    reason: str
    kind: str = ""


class UnsafeFile(Exception):
    """A source path that is not a regular file inside the repository."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.reason)
        self.refusal = refusal


def _kind(mode: int) -> str:
    """The Swedish name of a file type, for messages."""
    if stat.S_ISFIFO(mode):
        return "en namngiven pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "en socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "en enhetsfil"
    if stat.S_ISDIR(mode):
        return "en mapp"
    if stat.S_ISLNK(mode):
        return "en symbolisk länk"
    return "en specialfil"


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def classify(path: Path, root: Path) -> tuple[Path, Refusal | None]:
    """Where ``path`` really is, and why it may not be read (``None``: a regular file inside ``root``).

    Never opens anything, so it cannot block. An OSError from ``lstat`` (the file is missing,
    no permission) propagates: callers report it as a read error.
    """
    real_root = Path(os.path.realpath(root))
    mode = os.lstat(path).st_mode
    real = Path(os.path.realpath(path))
    if not _inside(real, real_root):
        return real, Refusal(OUTSIDE)
    if stat.S_ISLNK(mode):
        try:
            mode = os.stat(real).st_mode
        except OSError:  # missing target, or a loop of links
            return real, Refusal(BROKEN)
    if not stat.S_ISREG(mode):
        return real, Refusal(SPECIAL, _kind(mode))
    return real, None


def check_regular(path: Path, root: Path) -> Refusal | None:
    """Why ``path`` may not be read, or ``None``; a missing file is ``None`` (the reader reports it)."""
    try:
        return classify(path, root)[1]
    except FileNotFoundError:
        return None


def read_regular(path: Path, root: Path) -> bytes:
    """The bytes of ``path`` if it is a regular file inside ``root``; raises :class:`UnsafeFile` or OSError."""
    real, refusal = classify(path, root)
    if refusal is not None:
        raise UnsafeFile(refusal)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # swapped for a link after the check
            raise UnsafeFile(Refusal(SPECIAL, "en symbolisk länk")) from None
        raise
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):  # swapped for a FIFO or device after the check
            raise UnsafeFile(Refusal(SPECIAL, _kind(mode)))
        return handle.read()


def walk_files(folder: Path, root: Path) -> tuple[list[Path], list[tuple[Path, Refusal]]]:
    """Every file under ``folder`` (sorted) that may be read, and every entry that is refused.

    Links to folders are never followed (a link inside ``docs/`` to a folder is refused), so a
    link cannot make the walk leave the repository or loop.
    """
    good: list[Path] = []
    bad: list[tuple[Path, Refusal]] = []
    if folder.is_symlink():
        inside = _inside(Path(os.path.realpath(folder)), Path(os.path.realpath(root)))
        return good, [(folder, Refusal(SPECIAL, "en symbolisk länk till en mapp") if inside else Refusal(OUTSIDE))]
    if not folder.is_dir():
        return good, bad
    for current, dirs, files in os.walk(folder, followlinks=False):
        here = Path(current)
        for name in sorted(dirs):
            if (here / name).is_symlink():
                files.append(name)  # a link to a folder: classified like a file, so it is refused
        dirs[:] = sorted(d for d in dirs if not (here / d).is_symlink())
        for name in sorted(files):
            path = here / name
            try:
                refusal = classify(path, root)[1]
            except OSError:
                continue  # vanished while walking
            if refusal is None:
                good.append(path)
            else:
                bad.append((path, refusal))
    return sorted(good), sorted(bad, key=lambda item: item[0])


_ERRNO_REASONS = {
    errno.ENOSPC: ("disken är full", "Frigör utrymme på disken och kör kommandot igen."),
    errno.EDQUOT: ("diskkvoten är slut", "Frigör utrymme eller be om större kvot och kör kommandot igen."),
    errno.EACCES: ("behörighet saknas", "Kontrollera att du får läsa och skriva i mappen, och kör igen."),
    errno.EPERM: ("åtgärden är inte tillåten", "Kontrollera att du får läsa och skriva i mappen, och kör igen."),
    errno.EROFS: ("filsystemet är skrivskyddat", "Kör kommandot i en kopia där du får skriva, eller be "
                  "förvaltarna om hjälp."),
    errno.EMFILE: ("för många öppna filer", "Stäng andra program eller höj gränsen för öppna filer "
                   "(ulimit -n), och kör igen."),
    errno.ENFILE: ("för många öppna filer i systemet", "Vänta en stund eller starta om datorn, och kör igen."),
    errno.EIO: ("läs- eller skrivfel på disken", "Disken kan vara trasig. Kör igen, och be förvaltarna om "
                "hjälp om felet kvarstår."),
    errno.ENAMETOOLONG: ("filnamnet är för långt", "Korta filnamnet och kör igen."),
    errno.ENOENT: ("filen eller mappen finns inte", "Kontrollera att filen finns och kör igen."),
    errno.EISDIR: ("det är en mapp, inte en fil", "Ta bort mappen eller byt namn på den."),
    errno.ENOTDIR: ("en del av sökvägen är inte en mapp", "Kontrollera mapparna i sökvägen."),
}


def os_problem(exc: OSError) -> tuple[str, str]:
    """A plain Swedish (reason, advice) for an OS error, for messages that name the path themselves."""
    if exc.errno in _ERRNO_REASONS:
        return _ERRNO_REASONS[exc.errno]
    name = errno.errorcode.get(exc.errno or 0, "okänt fel")
    return f"systemfel {name}", "Kör kommandot igen; be förvaltarna om hjälp om felet kvarstår."


def shown(path: Path | str, root: Path) -> str:
    """``path`` relative to ``root`` without following links (``overviews/a.md``, never ``/etc/passwd``)."""
    absolute = Path(os.path.abspath(path))
    for base in (Path(os.path.abspath(root)), Path(os.path.realpath(root))):
        try:
            return absolute.relative_to(base).as_posix()
        except ValueError:
            continue
    return Path(path).name
