"""Safe names from hostile titles, and paths that cannot leave their folder."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from fakes.youtube import HOSTILE_TITLES
from functions.downloads.names import (
    UnsafePath,
    download_folder,
    find_item_file,
    forget_archived,
    inside,
    item_stem,
    library_root,
    safe_name,
    user_component,
)


@pytest.mark.parametrize(("title", "expected"), [
    ("$(id)", "(id)"),
    ("a; rm -rf ~; echo pwned", "a_ rm -rf ~_ echo pwned"),
    ("../../etc/passwd", "etc_passwd"),
    ("..", "untitled"),
    (".hidden", "hidden"),
    ("-rf", "rf"),
    ("NUL\x00byte", "NULbyte"),
    ("line one\nline two\r\nthree", "line one line two three"),
    ("\u202egpj.exe", "gpj.exe"),
    ("zero\u200bwidth", "zerowidth"),
    ("CON", "_CON"),
    ("com1.txt", "_com1.txt"),
    ("Lpt9", "_Lpt9"),
    ("console", "console"),
    ("C:\\Windows\\system32", "C_Windows_system32"),
    ('a<b>c:"d"|e?f*g', "a_b_c_d_e_f_g"),
    ("trailing dots...", "trailing dots"),
    ("\U0001f3ac\U0001f525 Emoji title \U0001f47e", "\U0001f3ac\U0001f525 Emoji title \U0001f47e"),
    ("   ", "untitled"),
    (None, "untitled"),
])
def test_safe_name(title: str | None, expected: str) -> None:
    assert safe_name(title) == expected


@pytest.mark.parametrize("title", [*HOSTILE_TITLES.values(), "x" * 1000, "\U0001f600" * 200, "é" * 300,
                                   "/" * 10, "\x00" * 5, "../" * 50])
def test_every_hostile_title_makes_one_plain_component(title: str, tmp_path: Path) -> None:
    name = safe_name(title)
    assert name
    assert name == name.strip()
    assert not name.startswith((".", "-"))
    assert not set(name) & set("/\\\x00")
    assert all(unicodedata.category(ch) not in ("Cc", "Cf") for ch in name)
    assert len(name.encode()) <= 120
    path = tmp_path / f"{name}.mp4"
    path.write_bytes(b"x")  # the file system takes it
    assert inside(path, tmp_path) == path.resolve()


def test_long_names_are_cut_on_a_character_boundary() -> None:
    name = safe_name("\U0001f600" * 100, max_bytes=10)
    assert name == "\U0001f600\U0001f600"


@pytest.mark.parametrize("candidate", ["../escape.mp4", "/etc/passwd", "a/../../b.mp4", "."])
def test_inside_refuses_paths_that_leave_the_folder(tmp_path: Path, candidate: str) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(UnsafePath):
        inside(folder / candidate, folder)


def test_inside_follows_symbolic_links(tmp_path: Path) -> None:
    folder, outside = tmp_path / "folder", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    (folder / "link").symlink_to(outside)
    with pytest.raises(UnsafePath):
        inside(folder / "link" / "file.mp4", folder)


def test_folders_and_item_names(tmp_path: Path) -> None:
    root = library_root(tmp_path, "youtube")
    assert root == (tmp_path / "youtube").resolve()
    assert user_component("alice", "0123456789", name_shared=False) == "alice"
    assert user_component("alice", "0123456789", name_shared=True) == "alice (01234567)"
    assert user_component("../root", "0123456789", name_shared=False) == "root (01234567)"
    folder = download_folder(root, "alice", "Hostile $(id); ../titles")
    assert folder == root / "alice" / "Hostile _(id)_ .._titles"
    assert item_stem(7, "A / B", "abc") == "007 - A _ B [abc]"
    assert item_stem(None, None, "../x") == "x [x]"


def test_a_finished_file_is_found_by_its_id_and_forgotten_from_the_archive(tmp_path: Path) -> None:
    (tmp_path / "001 - One [id1].mp4").write_bytes(b"1")
    (tmp_path / "002 - Two [id2].mp4.part").write_bytes(b"2")
    (tmp_path / ".medianest-archive.txt").write_text("generic id1\ngeneric id2\nhtml5mediaembed id3\n")
    assert find_item_file(tmp_path, "id1") == tmp_path / "001 - One [id1].mp4"
    assert find_item_file(tmp_path, "id2") is None  # a partial file is not a finished one
    forget_archived(tmp_path, {"id2", "id3"})
    assert (tmp_path / ".medianest-archive.txt").read_text() == "generic id1\n"
