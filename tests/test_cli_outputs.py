"""No command writes an output into a store folder, onto any of a store's files (whatever the
spelling of the path), onto a folder, or over an existing file without --force."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from hstc_desk.cli import main
from hstc_desk.exchange.flows import ExportFlow
from hstc_desk.outputs import OutputRefused, guard_output

from conftest import ADMIN, ADMIN_PW, make_store, store_bytes
from exchange_helpers import open_admin

# Spellings of a path into the store folder S (relative to the test's folder), and what the
# refusal says. "link" is a symlink to S, "db-link" one to S/store.db, "hard.json" a hard link
# to S/keyslots.json, "other" is a second store the command was not given.
SPELLINGS = {
    "S/store.db": "inside the store folder",
    "S/keyslots.json": "inside the store folder",
    "elsewhere/../S/store.db": "inside the store folder",
    "./S/./keyslots.json": "inside the store folder",
    "S//store.db": "inside the store folder",
    "{abs}//S///keyslots.json": "inside the store folder",
    "S/../S/store.db": "inside the store folder",
    "link/store.db": "inside the store folder",
    "link/new.bundle": "inside the store folder",
    "link": "is the store folder",
    "db-link": "inside the store folder",
    "hard.json": "a hard link",
    "S": "is the store folder",
    "S/.": "names a folder",
    "S/new.bundle": "inside the store folder",
    "S/": "names a folder",
    "S/store.db/": "names a folder",
    "other/keyslots.json": "inside the store folder",
    "other/fresh.zip": "inside the store folder",
    "{abs}/S/store.db": "inside the store folder",
}


@pytest.fixture(scope="module")
def two_stores(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("stores")
    make_store(root / "S")
    make_store(root / "other")
    return root


@pytest.fixture
def layout(two_stores: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    store = tmp_path / "S"
    shutil.copytree(two_stores / "S", store)
    shutil.copytree(two_stores / "other", tmp_path / "other")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "link").symlink_to(store)
    (tmp_path / "db-link").symlink_to(store / "store.db")
    os.link(store / "keyslots.json", tmp_path / "hard.json")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HSTC_USER", ADMIN)
    monkeypatch.setenv("HSTC_PASSWORD", ADMIN_PW)
    return tmp_path


def _commands(out: str) -> dict[str, list[str]]:
    return {"export": ["export", "S", "--to", "USA", "--out", out],
            "keys export": ["keys", "export", "S", "--out", out]}


def _snapshot(root: Path) -> dict[str, bytes]:
    return {f"{d}/{k}": v for d in ("S", "other") for k, v in store_bytes(root / d).items()}


@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
@pytest.mark.parametrize("spelling", list(SPELLINGS))
def test_outputs_never_land_in_a_store(layout: Path, spelling: str, force: bool,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    before = _snapshot(layout)
    out = spelling.format(abs=layout)
    for name, argv in _commands(out).items():
        rc = main([*argv, *(["--force"] if force else [])])
        err = capsys.readouterr().err
        assert rc == 1, (name, out, err)
        assert SPELLINGS[spelling] in err and "Traceback" not in err, (name, out, err)
    assert _snapshot(layout) == before
    assert not (layout / "S" / "new.bundle").exists()
    assert not (layout / "other" / "fresh.zip").exists()
    with open_admin(layout / "S") as s:  # still opens: nothing was touched
        assert s.count("items") == 0


def test_an_existing_file_is_replaced_only_with_force(layout: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    media = layout / "media"
    media.mkdir()
    for name, argv in _commands("media/out.file").items():
        (media / "out.file").unlink(missing_ok=True)
        assert main(argv) == 0, (name, capsys.readouterr().err)
        written = (media / "out.file").read_bytes()
        (media / "out.file").write_bytes(b"last week's file")
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert "already exists; pass --force to replace it" in err, err
        assert (media / "out.file").read_bytes() == b"last week's file"
        assert main([*argv, "--force"]) == 0, (name, capsys.readouterr().err)
        assert (media / "out.file").read_bytes()[:10] == written[:10]
    assert sorted(p.name for p in media.iterdir()) == ["out.file"]  # no temp files left


def test_guard_refuses_folders_and_other_special_targets(layout: Path) -> None:
    (layout / "dir").mkdir()
    os.mkfifo(layout / "fifo")
    with pytest.raises(OutputRefused, match="is a folder"):
        guard_output("dir", force=True)
    with pytest.raises(OutputRefused, match="not a regular file"):
        guard_output("fifo", force=True)
    with pytest.raises(OutputRefused, match="no output file"):
        guard_output("", force=True)
    # A store recognised by its inode even where its folder does not look like one: the
    # hard link sits in a plain folder, and the guard is told which store to protect.
    with pytest.raises(OutputRefused, match="a hard link"):
        guard_output("hard.json", force=True, stores=["link"])
    assert guard_output("elsewhere/new.bundle", force=False, stores=["S"]) == \
        Path("elsewhere/new.bundle")


def test_the_export_dialog_flow_uses_the_same_guard(layout: Path) -> None:
    slots = layout / "S" / "keyslots.json"
    before = (slots.read_bytes(), slots.stat().st_ino)
    with open_admin(layout / "S") as s:
        flow = ExportFlow(s)
        assert flow.preview("USA")  # a domestic export: the flow writes, the guard refuses
        names = sorted(p.name for p in (layout / "S").iterdir())
        assert not flow.run(str(layout / "link" / "keyslots.json"))
        assert "inside the store folder" in flow.error
        assert sorted(p.name for p in (layout / "S").iterdir()) == names
    assert (slots.read_bytes(), slots.stat().st_ino) == before


@pytest.mark.parametrize("folder", ["S", "S/", "link", "link/sub", "./S/../S/work",
                                    "other/bench"])
def test_bench_never_fills_a_store_folder(layout: Path, folder: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    before = _snapshot(layout)
    assert main(["bench", "--items", "100", "--dir", folder]) == 1
    err = capsys.readouterr().err
    assert "lies in the store folder" in err and "Traceback" not in err, err
    assert _snapshot(layout) == before
    assert sorted(p.name for p in (layout / "S").iterdir()) == ["keyslots.json", "store.db"]


def test_an_output_may_have_a_250_character_name(layout: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    media = layout / "media"
    media.mkdir()
    name = "k" * 246 + ".pub"  # legal; its hidden temp file used to pass 255 characters
    assert main(["keys", "export", "S", "--out", f"media/{name}"]) == 0, capsys.readouterr().err
    assert [p.name for p in media.iterdir()] == [name]


# hstc figure takes only .png or .svg names: the same reductions, spelled with its extension.
FIGURE_SPELLINGS = ["S/new.png", "./S/./x.svg", "S//x.png", "{abs}//S///x.png",
                    "elsewhere/../S/x.png", "S/../S/x.svg", "link/x.png", "db-link.png",
                    "hard.png", "other/x.png"]


@pytest.mark.parametrize("spelling", FIGURE_SPELLINGS)
def test_figure_outputs_never_land_in_a_store(layout: Path, spelling: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    (layout / "db-link.png").symlink_to(layout / "S" / "store.db")
    os.link(layout / "S" / "keyslots.json", layout / "hard.png")
    before = _snapshot(layout)
    for force in ([], ["--force"]):
        rc = main(["figure", "S", "--view", "map", "--out", spelling.format(abs=layout),
                   *force])
        err = capsys.readouterr().err
        assert rc == 1, (spelling, err)
        assert ("store folder" in err or "a hard link" in err) and "Traceback" not in err, err
    assert _snapshot(layout) == before
