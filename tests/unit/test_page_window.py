"""lms.web.PageWindow: the page asked for, clamped, and the page numbers the macro shows."""

import pytest

from lms.web import PageWindow


@pytest.mark.parametrize(
    ("asked", "page"),
    [
        (None, 1),
        ("", 1),
        ("2", 2),
        ("9", 3),
        ("0", 1),
        ("-1", 1),
        ("abc", 1),
        ("٢", 1),
        ("1" * 40, 1),
        (" 3 ", 3),
    ],
)
def test_the_page_asked_is_a_plain_number_within_the_pages(asked, page):
    window = PageWindow(120, 50, asked)
    assert (window.pages, window.page) == (3, page)
    assert (window.offset, window.limit) == ((page - 1) * 50, 50)


def test_an_empty_list_has_one_page_and_no_neighbours():
    window = PageWindow(0, 50, "4")
    assert (window.pages, window.page, window.has_prev, window.has_next) == (1, 1, False, False)
    assert window.prev_num is None and window.next_num is None


def test_page_numbers_skip_the_middle_with_gaps():
    window = PageWindow(50 * 20, 50, "10")
    assert list(window.iter_pages()) == [1, None, 8, 9, 10, 11, 12, 13, None, 20]
    assert (window.prev_num, window.next_num) == (9, 11)
    assert list(PageWindow(100, 50, "1").iter_pages()) == [1, 2]
