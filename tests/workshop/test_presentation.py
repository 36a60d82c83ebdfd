"""The link to a draaiboek is a share link of the view of its first step."""

from urllib.parse import parse_qsl, urlsplit

from wijkmap.core.view import ViewState, from_query
from wijkmap.shell import widgets
from wijkmap.workshop import draaiboek as db, presentation


def test_the_draaiboek_link_opens_step_one_in_presentation_mode():
    book = (
        db.Draaiboek()
        .add(db.step_from_state(ViewState(gemeente="GM0344", strategie=["bridging"]), "Eerst"))
        .add(db.step_from_state(ViewState(gemeente="GM0599"), "Dan"))
    )
    link = presentation.share_link(book, ViewState(gemeente="GM0363", lang="en"))
    state, notes = from_query(dict(parse_qsl(urlsplit(link).query, keep_blank_values=True)))
    assert notes == []
    assert (state.gemeente, state.strategie, state.lang) == ("GM0344", ["bridging"], "en")
    assert (state.stap, state.presentatie) == (1, True)
    assert presentation.book_of(state) == book
    # Built like every other share link (outside a browser session: the query alone).
    assert link == widgets.share_url(state)
