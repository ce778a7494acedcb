"""Atomic, spreadsheet-safe writers for every file launchcast produces.

Every output is written to a temporary file in the target folder and renamed into place, so a
failure never leaves a half-written file. A set of files is written complete or not at all:
:func:`staged_folder` stages a whole folder beside its target and swaps it in as a whole, and
:func:`staged_files` does the same for a few files side by side (a CSV and its workbook). An
existing non-empty target is refused unless ``overwrite=True`` (``--overwrite`` on the command
line), and what a killed run left behind (staging folders and files whose process is gone) is
cleaned by the next run that writes beside it.

Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
tab or carriage return) are escaped with a leading apostrophe in CSV and Excel outputs; numbers
are left alone.

Examples
--------
>>> import pandas as pd, tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "plan.csv"
>>> write_csv(pd.DataFrame({"store": ["=cmd()", "Province_1"], "units": [3, 4]}), out)
PosixPath('...plan.csv')
>>> out.read_text().splitlines()[1]
"'=cmd(),3"
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import shutil
import socket
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pandas as pd

from forecasting.exceptions import OutputExistsError
from forecasting.inputs.validation import in_words_of

__all__ = [
    "atomic_path",
    "check_output_files",
    "check_output_folder",
    "escape_formulas",
    "staged_files",
    "staged_folder",
    "write_csv",
    "write_excel",
    "write_text",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# Work in progress is named ``.<target name>.launchcast-<kind>-<host>-<pid>-<id>`` (``staging``:
# being written; ``old``: the previous output set aside during a swap). The host is a short hash
# of the machine's name, so that a run never judges a process of another machine sharing the
# folder (a network drive) by its own process table.
_HOST = hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]
_LEFTOVER = re.compile(
    r"^\.(?P<name>.+)\.launchcast-(?P<kind>staging|old)-(?P<host>[0-9a-f]{8})-(?P<pid>\d+)-"
    r"[0-9A-Za-z_]+(?:\.tmp)?$"
)


def _work_prefix(name: str, kind: str) -> str:
    return f".{name}.launchcast-{kind}-{_HOST}-{os.getpid()}-"


def _work_name(name: str, kind: str) -> str:
    return _work_prefix(name, kind) + secrets.token_hex(4)


def _pid_alive(pid: int) -> bool:
    """Whether process ``pid`` of this machine still runs (when in doubt: yes)."""
    if pid == os.getpid():
        return True
    if pid <= 0:
        return True
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() != 87  # ERROR_INVALID_PARAMETER: no such process
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it runs under another user
        return True
    return True


def _remove(path: Path) -> None:
    """Delete a file or a folder tree; what cannot be deleted now is left for a later run."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def _clean_leftovers(folder: Path) -> None:
    """Remove what killed runs left in ``folder``; never touch the work of a live process.

    A staging folder or file of a dead process is deleted. A previous output that a dead process
    had set aside is put back when its target is missing (the run died in the middle of the swap),
    and deleted otherwise (the new output is in place).
    """
    try:
        entries = [entry.name for entry in os.scandir(folder)]
    except OSError:  # the folder does not exist yet, or cannot be listed
        return
    for name in entries:
        match = _LEFTOVER.match(name)
        if match is None or match["host"] != _HOST or _pid_alive(int(match["pid"])):
            continue
        leftover = folder / name
        target = folder / match["name"]
        if match["kind"] == "old" and not os.path.lexists(target):
            with contextlib.suppress(OSError):  # if it cannot be put back now, keep it for later
                os.rename(leftover, target)
            continue
        _remove(leftover)


def _missing_parents(folder: Path) -> list[Path]:
    """``folder`` and its ancestors that do not exist yet, outermost first."""
    missing: list[Path] = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    return missing[::-1]


def _remove_empty(folders: Iterable[Path]) -> None:
    for folder in reversed(list(folders)):
        with contextlib.suppress(OSError):
            folder.rmdir()


def _fix(what: str) -> str:
    return in_words_of(python="overwrite=True", cli="--overwrite") + f" to {what}"


def check_output_folder(target: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Refuse an output folder that may not be written; clean what killed runs left beside it.

    Call it before any long computation, so that a run that would be refused is refused at once.
    :func:`staged_folder` checks again when it starts and before it swaps.

    Parameters
    ----------
    target : str or path-like
        The output folder. A new or empty folder is always fine.
    overwrite : bool, default False
        Whether an existing non-empty folder may be replaced (whole: none of its files survives).

    Returns
    -------
    pathlib.Path
        ``target`` as a path.

    Raises
    ------
    OutputExistsError
        ``target`` is a non-empty folder and ``overwrite`` is false; or it is a file; or it holds
        the current working folder (replacing it would pull the folder from under the user); or,
        with ``overwrite``, it holds folders (launchcast writes files only, so it is not an
        earlier output: a home or project folder named by mistake is never replaced).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "old.csv").write_text("x")
    >>> check_output_folder(folder)
    Traceback (most recent call last):
    ...
    forecasting.exceptions.OutputExistsError: ...: the folder exists and is not empty (1 entry: \
old.csv). Fix: choose a new or empty folder, or pass overwrite=True to replace it whole.
    >>> check_output_folder(folder, overwrite=True) == folder
    True
    """
    final = Path(target)
    real = Path(os.path.realpath(final))
    _clean_leftovers(real.parent)
    try:
        here = Path.cwd()
    except OSError:  # the working folder was deleted: it cannot be inside ``target``
        here = None
    if not real.name or (here is not None and (real == here or real in here.parents)):
        raise OutputExistsError(
            f"{final}: this folder holds the current working folder and cannot be replaced. "
            "Fix: choose a new folder for the output, e.g. a subfolder."
        )
    if os.path.lexists(real) and not real.is_dir():
        raise OutputExistsError(
            f"{final}: this is a file, not a folder. Fix: choose a folder name for the output."
        )
    if real.is_dir() and overwrite:
        folders = sorted(entry.name for entry in os.scandir(real) if entry.is_dir())
        if folders:  # launchcast writes files only: this is not an earlier output
            shown = ", ".join(folders[:3]) + (", ..." if len(folders) > 3 else "")
            raise OutputExistsError(
                f"{final}: the folder holds folders ({shown}), so it is not an earlier launchcast "
                "output and is not replaced, even when asked. Fix: choose a new folder for the "
                "output, e.g. a subfolder."
            )
    if real.is_dir() and not overwrite:
        names = sorted(entry.name for entry in os.scandir(real))
        if names:
            shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
            count = f"{len(names)} {'entry' if len(names) == 1 else 'entries'}"
            raise OutputExistsError(
                f"{final}: the folder exists and is not empty ({count}: {shown}). Fix: choose a "
                f"new or empty folder, or pass {_fix('replace it whole')}."
            )
    return final


@contextlib.contextmanager
def staged_folder(target: str | os.PathLike[str], *, overwrite: bool = False) -> Iterator[Path]:
    """Write a folder complete or not at all: yield a staging folder, then swap it in as a whole.

    The staging folder is a hidden sibling of ``target`` whose name carries
    ``.launchcast-staging-`` and the process id. When the block finishes, the previous ``target``
    (if any) is renamed aside, the staging folder is renamed to ``target``, and the previous folder
    is deleted; if the swap fails, the previous folder is put back. On any exception (including
    ``KeyboardInterrupt``) the staging folder is deleted and ``target`` is left as it was. What
    killed runs left beside ``target`` is cleaned first (see :func:`check_output_folder`).

    Parameters
    ----------
    target : str or path-like
        The output folder; its parents are created if missing (and removed again on failure).
    overwrite : bool, default False
        Whether an existing non-empty ``target`` may be replaced; then none of its old files
        survives beside the new ones. A new or empty folder needs no permission.

    Yields
    ------
    pathlib.Path
        The staging folder to write every file into.

    Raises
    ------
    OutputExistsError
        As :func:`check_output_folder`, checked on entry and again just before the swap.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "plan"
    >>> with staged_folder(target) as staging:
    ...     _ = (staging / "summary.md").write_text("# plan")
    >>> sorted(p.name for p in target.parent.iterdir())
    ['plan']
    >>> with staged_folder(target, overwrite=True) as staging:
    ...     _ = (staging / "depth.csv").write_text("sku,depth")
    >>> sorted(p.name for p in target.iterdir())
    ['depth.csv']
    """
    final = check_output_folder(target, overwrite=overwrite)
    real = Path(os.path.realpath(final))
    created = _missing_parents(real.parent)
    staging: Path | None = None
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=_work_prefix(real.name, "staging"), dir=real.parent))
        mode = real.stat().st_mode if real.is_dir() else 0o777 & ~_umask()
        os.chmod(staging, mode & 0o7777)  # mkdtemp makes it private: give the usual permissions
        yield staging
        check_output_folder(final, overwrite=overwrite)  # nothing appeared there meanwhile
        _swap_in(staging, real)
    except BaseException:
        if staging is not None:
            _remove(staging)
        _remove_empty(created)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _swap_in(staging: Path, real: Path) -> None:
    """Rename ``real`` aside, ``staging`` to ``real``, delete the old one; undo on failure."""
    aside = real.parent / _work_name(real.name, "old") if os.path.lexists(real) else None
    moved = False
    try:
        if aside is not None:
            os.rename(real, aside)
            moved = True
        os.rename(staging, real)
    except BaseException:
        if moved and aside is not None and not os.path.lexists(real):
            os.rename(aside, real)
        raise
    if aside is not None:
        _remove(aside)


def check_output_files(
    targets: Iterable[str | os.PathLike[str]], *, overwrite: bool = False
) -> list[Path]:
    """Refuse output files that may not be written; clean what killed runs left beside them.

    Parameters
    ----------
    targets : iterable of str or path-like
        The files written together (e.g. a CSV and the workbook beside it).
    overwrite : bool, default False
        Whether existing non-empty files may be replaced.

    Returns
    -------
    list of pathlib.Path
        The targets as paths.

    Raises
    ------
    OutputExistsError
        One of them is a non-empty file and ``overwrite`` is false, or it is a folder.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "plan.xlsx").write_text("x")
    >>> check_output_files([folder / "plan.csv", folder / "plan.xlsx"])
    Traceback (most recent call last):
    ...
    forecasting.exceptions.OutputExistsError: ...plan.xlsx: the file exists. Fix: choose \
another name, or pass overwrite=True to replace plan.csv and plan.xlsx.
    """
    finals = [Path(t) for t in targets]
    for folder in dict.fromkeys(Path(os.path.realpath(f)).parent for f in finals):
        _clean_leftovers(folder)
    names = " and ".join(f.name for f in finals)
    for final in finals:
        if final.is_dir():
            raise OutputExistsError(
                f"{final}: this is a folder, not a file. Fix: choose a file name for the output."
            )
        if not overwrite and final.is_file() and final.stat().st_size > 0:
            raise OutputExistsError(
                f"{final}: the file exists. Fix: choose another name, or pass "
                f"{_fix('replace ' + names)}."
            )
    return finals


@contextlib.contextmanager
def staged_files(
    *targets: str | os.PathLike[str], overwrite: bool = False
) -> Iterator[tuple[Path, ...]]:
    """Write several files complete or not at all: yield staging paths, then move all into place.

    Each staging path is a hidden sibling of its target (its name carries
    ``.launchcast-staging-`` and the process id). When the block finishes, every target is
    replaced; if one replacement fails, those already made are undone, so either all files are
    new or all are as before. On any exception nothing is left behind. For a single file,
    :func:`atomic_path` is enough.

    Parameters
    ----------
    *targets : str or path-like
        The final files.
    overwrite : bool, default False
        Whether existing non-empty files may be replaced.

    Yields
    ------
    tuple of pathlib.Path
        Where to write each target, in order.

    Raises
    ------
    OutputExistsError
        As :func:`check_output_files`, checked on entry and again before the files are moved.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with staged_files(folder / "plan.csv", folder / "plan.xlsx") as (csv, xlsx):
    ...     _ = csv.write_text("store,units")
    ...     _ = xlsx.write_bytes(b"...")
    >>> sorted(p.name for p in folder.iterdir())
    ['plan.csv', 'plan.xlsx']
    """
    finals = check_output_files(targets, overwrite=overwrite)
    reals = [Path(os.path.realpath(f)) for f in finals]
    created = [
        p for folder in dict.fromkeys(r.parent for r in reals) for p in _missing_parents(folder)
    ]
    staging = [real.parent / _work_name(real.name, "staging") for real in reals]
    done: list[tuple[Path, Path | None]] = []  # (target, its previous version set aside)
    try:
        for real in reals:
            real.parent.mkdir(parents=True, exist_ok=True)
        yield tuple(staging)
        check_output_files(finals, overwrite=overwrite)
        for real, path in zip(reals, staging, strict=True):
            aside = real.parent / _work_name(real.name, "old") if os.path.lexists(real) else None
            if aside is not None:
                os.rename(real, aside)
            done.append((real, aside))
            os.replace(path, real)
    except BaseException:
        for real, aside in reversed(done):  # undo what was moved; the first error is the one raised
            with contextlib.suppress(OSError):
                if aside is not None:
                    os.replace(aside, real)
                elif os.path.lexists(real):
                    real.unlink()
        for path in staging:
            _remove(path)
        _remove_empty(created)
        raise
    for _, aside in done:
        if aside is not None:
            _remove(aside)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it to ``path``, on error delete it.

    The temporary file's name carries ``.launchcast-staging-`` and the process id, so that what a
    killed run left is removed by the next run that writes in the same folder.

    Parameters
    ----------
    path : str or path-like
        The final file. Its folder is created if missing.

    Yields
    ------
    pathlib.Path
        Where to write; it becomes ``path`` only when the block finishes without an exception.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "notes.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("hello")
    >>> target.read_text()
    'hello'
    """
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    _clean_leftovers(final.parent)
    fd, tmp_name = tempfile.mkstemp(
        prefix=_work_prefix(final.name, "staging"), suffix=".tmp", dir=final.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; give the file the usual permissions
    try:
        yield tmp
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _escape_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text cells cannot run as spreadsheet formulas.

    Text starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading apostrophe.
    Numeric, date and boolean columns are returned unchanged; column names are escaped too.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to write.

    Returns
    -------
    pandas.DataFrame
        An escaped copy.

    Examples
    --------
    >>> import pandas as pd
    >>> escape_formulas(pd.DataFrame({"a": ["+1", "ok"], "b": [-1.5, 2.0]}))["a"].tolist()
    ["'+1", 'ok']
    """
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            out[column] = series.map(_escape_cell).astype(object)
    out.columns = [_escape_cell(c) for c in out.columns]
    return out


def write_csv(frame: pd.DataFrame, path: str | os.PathLike[str], *, index: bool = False) -> Path:
    """Write ``frame`` as UTF-8 CSV, atomically, with a byte-order mark so Excel shows Chinese text.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    path : str or path-like
        Target file.
    index : bool, default False
        Whether to write the index.

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> p = write_csv(pd.DataFrame({"x": [1]}), pathlib.Path(tempfile.mkdtemp()) / "x.csv")
    >>> p.read_text(encoding="utf-8-sig")
    'x\\n1\\n'
    """
    final = Path(path)
    with atomic_path(final) as tmp:
        escape_formulas(frame).to_csv(tmp, index=index, encoding="utf-8-sig", lineterminator="\n")
    return final


def _excel_sheet_name(name: str, used: set[str]) -> str:
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in str(name)).strip("'") or "Sheet"
    clean = clean[:31]
    candidate, k = clean, 2
    while candidate.lower() in used:
        suffix = f" ({k})"
        candidate = clean[: 31 - len(suffix)] + suffix
        k += 1
    used.add(candidate.lower())
    return candidate


def write_excel(
    sheets: Mapping[str, pd.DataFrame] | pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    index: bool = False,
) -> Path:
    """Write one or several tables to an ``.xlsx`` workbook (one sheet each), atomically.

    Headers are bold and frozen, columns are sized to their content, and text cells are
    formula-escaped.

    Parameters
    ----------
    sheets : mapping of sheet name to DataFrame, or a DataFrame
        The sheets in order; names are cleaned to Excel's rules (31 characters, no ``[]:*?/\\``).
    path : str or path-like
        Target ``.xlsx`` file.
    index : bool, default False
        Whether to write each frame's index.

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> p = write_excel({"wave 1": pd.DataFrame({"store": ["A"], "units": [3]})},
    ...                 pathlib.Path(tempfile.mkdtemp()) / "a.xlsx")
    >>> pd.read_excel(p, sheet_name="wave 1")["units"].tolist()
    [3]
    """
    from openpyxl.styles import Font

    if isinstance(sheets, pd.DataFrame):
        sheets = {"Sheet1": sheets}
    final = Path(path)
    used: set[str] = set()
    with atomic_path(final) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        if not sheets:
            pd.DataFrame().to_excel(writer, sheet_name="empty")
        for name, frame in sheets.items():
            sheet = _excel_sheet_name(name, used)
            out = escape_formulas(frame)
            for column in out.columns:
                if isinstance(out[column].dtype, pd.DatetimeTZDtype):
                    out[column] = out[column].dt.tz_localize(None)
            out.to_excel(writer, sheet_name=sheet, index=index)
            ws = writer.sheets[sheet]
            ws.freeze_panes = "A2"
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for col_cells in ws.columns:
                width = max(len(str(c.value)) if c.value is not None else 0 for c in col_cells)
                letter = col_cells[0].column_letter
                ws.column_dimensions[letter].width = min(60, max(8, width + 2))
    return final


def write_text(text: str, path: str | os.PathLike[str], *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically.

    Parameters
    ----------
    text : str
        The content.
    path : str or path-like
        Target file.
    encoding : str, default "utf-8"
        Text encoding.

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> write_text("# plan", pathlib.Path(tempfile.mkdtemp()) / "summary.md").read_text()
    '# plan'
    """
    final = Path(path)
    with atomic_path(final) as tmp:
        tmp.write_text(text, encoding=encoding)
    return final
