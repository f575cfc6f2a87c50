"""Links between the site's pages: the fast relative path must agree with posixpath.relpath."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from ddgen.render import _relpath, href, relative

segment = st.sampled_from(["a", "b", "suppliers", "2024", "risks", "index.md", "S-001.md"])
path = st.lists(segment, min_size=0, max_size=4).map(lambda parts: "/".join(parts) or ".")


@given(path, path, st.booleans())
def test_relpath_agrees_with_posixpath(target: str, start: str, trailing: bool) -> None:
    target = target + "/" if trailing and target != "." else target
    assert _relpath(target, start) == posixpath.relpath(target, start)


def test_links_from_a_year_folder_are_the_same_as_from_the_root() -> None:
    # Detail pages are rendered once for all years: that is only right while links are relative.
    assert relative("2024/suppliers/S-001.md", "2024/risks/R-001.md#x") == relative("suppliers/S-001.md", "risks/R-001.md#x")
    assert relative("suppliers/S-001.md", "risks/R-001.md#x") == "../risks/R-001.md#x"
    assert href("2024/suppliers/S-001.md", "2024/suppliers/index.md") == href("suppliers/S-001.md", "suppliers/index.md")
    assert href("suppliers/S-001.md", "suppliers/index.md") == "../"
    assert href("suppliers/S-001.md", "index.md") == "../../"
    assert href("index.md", "2024/index.md") == "2024/"


def test_hand_written_pages_are_titled_in_the_navigation_by_their_plain_heading() -> None:
    from ddgen.build import content_entry

    assert content_entry("about.md", b"# Over dit verslag\n\nTekst") == {"Over dit verslag": "about.md"}
    assert content_entry("about.md", "\n\n## Not a title\n") == "about.md"
    assert content_entry("about.md", "# Over *dit* verslag\n") == "about.md", "markup: MkDocs renders the title"
    assert content_entry("about.md", "---\ntitle: Eigen titel\n---\n# Kop\n") == "about.md"
