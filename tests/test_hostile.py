"""The hostile-input corpus through the CLI: each case gives a PDF or a clean message.

The cases live in ``tests/hostile/`` with their index ``cases.toml`` (expected exit code,
message, text). Cases that need the file system at test time (symlinks, FIFOs, devices,
files too large to keep in the repository) and the network lock are built here.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import tomllib
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, pdf_pages, run_cli, run_command, squash

HOSTILE = Path(__file__).parent / "hostile"
CASES: list[dict[str, Any]] = tomllib.loads((HOSTILE / "cases.toml").read_text())["case"]
SAFE_LINKS = ("http://", "https://", "mailto:")
MINIMAL = "date: 2022-04-28\nheadline: Eine Überschrift\nbody: Ein Absatz.\n"


def _case_id(case: dict[str, Any]) -> str:
    return Path(case.get("letterhead") or case["file"]).name


def _link_targets(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    targets = []
    for page in PdfReader(pdf, strict=True).pages:
        for annotation in page.get("/Annots") or ():
            action = annotation.get_object().get("/A") or {}
            targets.append(str(action.get("/URI", action.get("/F", ""))))
    return targets


def _check_answer(result: subprocess.CompletedProcess[bytes]) -> str:
    """Every answer is clean: no traceback, no Python warning, no internal error."""
    stderr = result.stderr.decode("utf-8", "replace")
    for marker in ("Traceback", "Warning:", "internal error"):
        assert marker not in stderr, stderr
    return stderr


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_hostile_case(case: dict[str, Any], tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if "xfail" in case:
        request.applymarker(pytest.mark.xfail(reason=case["xfail"], strict=True))
    source = tmp_path / case["file"]
    shutil.copyfile(HOSTILE / case["file"], source)
    args = ["render", source.name, "-o", "out.pdf"]
    if "letterhead" in case:
        args += ["--letterhead", str(HOSTILE / case["letterhead"])]
    result = run_cli(*args, cwd=tmp_path)
    stderr = _check_answer(result)
    assert result.returncode == case["exit"], stderr
    assert case.get("message", "") in stderr
    out = tmp_path / "out.pdf"
    if case["exit"] == 0:
        text = squash("".join(pdf_pages(out)))
        for expected in case.get("text", ()):
            assert squash(expected) in text
        assert all(target.startswith(SAFE_LINKS) for target in _link_targets(out))
    else:
        assert not out.exists()
    # The CVE payload and its kin never run anything.
    assert not (tmp_path / "pwned").exists()


def test_the_corpus_index_names_every_file() -> None:
    listed = {case["file"] for case in CASES} | {
        Path(case["letterhead"]).name for case in CASES if "letterhead" in case
    }
    present = (
        {path.name for path in HOSTILE.glob("*.yaml")}
        | {path.name for path in HOSTILE.glob("*.toml") if path.name != "cases.toml"}
        | {path.name for path in (HOSTILE / "letterheads").glob("*.toml")}
    )
    assert present <= listed, f"corpus files without a case: {sorted(present - listed)}"


def test_hostile_links_lose_their_targets(tmp_path: Path) -> None:
    shutil.copyfile(HOSTILE / "hostile-links.yaml", tmp_path / "r.yaml")
    assert run_cli("render", "r.yaml", cwd=tmp_path).returncode == 0
    # The https link survives; javascript:, file: and data: are plain text.
    targets = _link_targets(tmp_path / "r.pdf")
    assert "https://example.org" in targets
    assert not [t for t in targets if t.startswith(("javascript", "file", "data"))], targets


# --------------------------------------------------------------------------- logo files


def _letterhead_with_logo(folder: Path, make_logo: Any) -> Path:
    folder.mkdir()
    make_logo(folder / "logo.png")
    letterhead = folder / "letterhead.toml"
    letterhead.write_text('organisation = "Hostile"\nsidebar = ["Zeile"]\nlogo = "logo.png"\n')
    return letterhead


def _render_with(tmp_path: Path, letterhead: Path, *, run: Any = run_cli) -> tuple[int, str]:
    (tmp_path / "r.yaml").write_text(MINIMAL)
    result = run("render", "r.yaml", "--letterhead", letterhead, cwd=tmp_path)
    return result.returncode, _check_answer(result)


def test_logo_symlink_to_etc_passwd_is_refused(tmp_path: Path) -> None:
    letterhead = _letterhead_with_logo(tmp_path / "lh", lambda p: p.symlink_to("/etc/passwd"))
    code, stderr = _render_with(tmp_path, letterhead)
    assert code == 1
    assert "letterhead.toml:3:1: logo: 'logo.png' is outside the letterhead's folder" in stderr


def test_logo_symlink_to_a_device_is_refused(tmp_path: Path) -> None:
    letterhead = _letterhead_with_logo(tmp_path / "lh", lambda p: p.symlink_to("/dev/zero"))
    code, stderr = _render_with(tmp_path, letterhead)
    assert code == 1
    assert "logo: 'logo.png' is outside the letterhead's folder" in stderr


def test_logo_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    # Opening a FIFO for reading blocks until a writer comes: in a process of its own, with
    # run_command's timeout as the guard.
    letterhead = _letterhead_with_logo(tmp_path / "lh", lambda p: os.mkfifo(p))
    code, stderr = _render_with(tmp_path, letterhead, run=run_command)
    assert code == 1
    assert "logo: file 'logo.png' not found next to the letterhead" in stderr


def test_logo_device_node_in_the_folder_is_refused(tmp_path: Path) -> None:
    def make(path: Path) -> None:
        try:
            os.mknod(path, 0o600 | 0o020000, os.makedev(1, 5))  # a copy of /dev/zero
        except PermissionError:
            pytest.skip("creating a device node needs root")

    letterhead = _letterhead_with_logo(tmp_path / "lh", make)
    code, stderr = _render_with(tmp_path, letterhead)
    assert code == 1
    assert "logo: file 'logo.png' not found next to the letterhead" in stderr


def test_logo_symlink_within_the_folder_is_fine(tmp_path: Path) -> None:
    def make(path: Path) -> None:
        shutil.copyfile(EXAMPLES / "musterstadt" / "logo.png", path.with_name("real.png"))
        path.symlink_to("real.png")

    letterhead = _letterhead_with_logo(tmp_path / "lh", make)
    code, stderr = _render_with(tmp_path, letterhead)
    assert code == 0, stderr


def test_release_that_is_a_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "r.yaml")
    result = run_command("render", "r.yaml", cwd=tmp_path, timeout=60)
    assert result.returncode == 1
    assert "r.yaml: not a regular file" in _check_answer(result)


# --------------------------------------------------------------------------- sizes


def test_input_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    from medieninfo.model.source import MAX_BYTES

    (tmp_path / "r.yaml").write_text(MINIMAL + "# " + "x" * MAX_BYTES + "\n")
    result = run_cli("render", "r.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "r.yaml: file is larger than 5 MB" in _check_answer(result)


def test_a_300_kb_paragraph_renders_completely(tmp_path: Path) -> None:
    # Unsplit, ReportLab needs ~25 s for this; the timeout only guards against a hang.
    words = [f"Wort{n}" for n in range(40_000)]
    body = " ".join(words)
    assert len(body) > 300_000
    (tmp_path / "r.yaml").write_text(MINIMAL.replace("Ein Absatz.", body))
    result = run_cli("render", "r.yaml", cwd=tmp_path)
    assert result.returncode == 0, _check_answer(result)
    text = "".join(pdf_pages(tmp_path / "r.pdf"))
    found = [word for word in text.split() if word.startswith("Wort")]
    assert found == words


# --------------------------------------------------------------------------- network


class _Listener:
    """A local TCP server that only counts connections."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.server.close()


_FETCH = """
import sys
if sys.argv[1] == "locked":
    from medieninfo.pdf import patches
    patches.apply()
from reportlab.lib.utils import open_for_read
try:
    open_for_read(sys.argv[2])
except Exception as exc:
    print(type(exc).__name__, exc)
"""


@pytest.mark.parametrize("locked", [True, False], ids=["locked", "control"])
def test_reportlab_cannot_fetch_even_when_the_environment_trusts_every_host(locked: bool) -> None:
    listener = _Listener()
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                _FETCH,
                "locked" if locked else "open",
                f"http://127.0.0.1:{listener.port}/logo.png",
            ],
            capture_output=True,
            timeout=60,
            env={**os.environ, "RL_trustedHosts": "*", "RL_trustedSchemes": "http,https,file"},
        )
    finally:
        listener.close()
    assert result.returncode == 0, result.stderr.decode()
    # The control shows the environment really turns fetching on without the lock.
    assert (listener.connections == 0) == locked, result.stdout.decode()
