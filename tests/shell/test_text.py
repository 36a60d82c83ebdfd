"""ui.literal: user and URL text for what Streamlit renders as Markdown.

That it shows as written in a browser is checked by tests/browser/test_navigation.py."""

from wijkmap.shell.text import WORD_JOINER, literal


def test_every_markdown_and_html_character_is_escaped():
    assert literal("[klik](http://evil.example/)") == (f"\\[klik\\]\\(http\\:{WORD_JOINER}\\/\\/evil\\.example\\/\\)")
    assert literal("![x](a.png) <b>&amp; *_`~|#+-!$\\") == (
        "\\!\\[x\\]\\(a\\.png\\) \\<b\\>\\&amp\\; \\*\\_\\`\\~\\|\\#\\+\\-\\!\\$\\\\"
    )


def test_what_streamlit_finds_in_plain_text_is_broken_up_invisibly():
    # Web and e-mail addresses and :shortcodes: are found after the escapes are gone.
    for text in ("www.evil.example", "WWW.evil.example", "me@evil.example", ":smile:"):
        assert literal(text).replace(WORD_JOINER, "") != literal(text)
    assert "www" + WORD_JOINER in literal("www.evil.example").lower()


def test_line_breaks_and_leading_spaces_cannot_start_a_block():
    assert literal("    code\n\n# kop\r\n- item  ") == "code \\# kop \\- item"
    assert literal(None) == "" and literal(12.5) == "12\\.5"
    assert literal("Café — ‘quotes’ 😀") == "Café — ‘quotes’ 😀"


def test_a_colon_ending_a_word_stays_as_it_is():
    assert literal("Stap 2: onbekend veld") == "Stap 2\\: onbekend veld"


def test_stored_times_read_as_dutch_clocks_show_them():
    from wijkmap.shell.text import local_time

    assert local_time("2026-12-02T04:13:46+00:00", "nl") == "2 dec 2026 05:13"  # winter: UTC+1
    assert local_time("2026-07-02T04:13:46+00:00", "en") == "2 Jul 2026 06:13"  # summer: UTC+2
    assert local_time("gisteren", "nl") == "gisteren"
