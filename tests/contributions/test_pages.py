"""The contribution pages, run headless with Streamlit's AppTest on a copy of the small
store: the form keeps what was typed when something is wrong, a correct form is queued,
bots and floods are turned away, moderation needs the secret, the publication escapes."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from wijkmap.config import REPO_ROOT
from wijkmap.contributions import checks, clients, form, inbox
from wijkmap.data import store as wstore

SECRET = "dom-toren-112m"
PAGES = str(REPO_ROOT / "app_pages" / "{}.py")


@pytest.fixture(autouse=True)
def fresh_login_failures(monkeypatch):
    """Wrong secrets are counted per process: each test starts without any."""
    monkeypatch.setattr(clients, "LOGIN_FAILURES", clients.LoginFailures())


@pytest.fixture
def address(monkeypatch) -> dict:
    """The client address the pages see (AppTest has no connection); change ["peer"]."""
    client = {"peer": "203.0.113.7", "headers": {}}
    monkeypatch.setattr(
        form, "_connection", lambda: (client["peer"], lambda name: client["headers"].get(name.lower(), []))
    )
    return client


def run(page: str) -> AppTest:
    app = AppTest.from_file(PAGES.format(page), default_timeout=60)
    app.run()
    assert not app.exception, app.exception
    return app


def errors(app: AppTest) -> list[str]:
    return [element.value for element in app.error]


def fill_correctly(app: AppTest) -> None:
    app.selectbox(key="bijdrage_gemeente").select("GM0344").run()
    app.selectbox(key="bijdrage_buurtcode").select("BU03440611")
    app.text_input(key="bijdrage_naam").input("Huiskamer De Linde")
    app.text_area(key="bijdrage_omschrijving").input("Elke dinsdag koffie en soep voor ouderen in de buurt.")
    app.selectbox(key="bijdrage_soort").select("huis_van_de_wijk")
    app.multiselect(key="bijdrage_actortype").select("bewoners")
    app.text_input(key="bijdrage_contact_email").input("anna@example.org")
    app.checkbox(key="bijdrage_toestemming").check()


def send(app: AppTest) -> AppTest:
    app.button[0].click().run()
    assert not app.exception, app.exception
    return app


def test_a_wrong_form_keeps_what_was_typed_and_says_what_is_wrong_per_field(store):
    app = run("bijdragen")
    app.text_input(key="bijdrage_naam").input("<b>Mijn</b> *huiskamer*")
    app.text_area(key="bijdrage_omschrijving").input("Te kort")
    app.text_input(key="bijdrage_geopend").input("ooit")
    app.text_input(key="bijdrage_url").input("www.zonder-schema.nl")
    app.multiselect(key="bijdrage_doelgroep").select("ouderen")
    send(app)

    shown = errors(app)
    assert shown[-1].startswith("Niet alles is goed ingevuld")  # under the button
    for expected in (
        "Kies een gemeente en een buurt, of vul de coördinaten in.",
        "Vertel iets meer: minstens 20 tekens.",
        "Kies wat voor soort voorziening of initiatief het is.",
        "Dit is geen datum: schrijf een jaar (2019) of een datum (2019-03-01).",
        "Dit is geen webadres: het begint met https:// of http:// en heeft geen spaties, aanhalingstekens of < >.",
        "Vul je e-mailadres in, zodat de redactie je iets kan vragen.",
        "Vink aan dat je akkoord gaat; anders kunnen we het niet publiceren.",
    ):
        assert expected in shown
    assert app.text_input(key="bijdrage_naam").value == "<b>Mijn</b> *huiskamer*"
    assert app.text_area(key="bijdrage_omschrijving").value == "Te kort"
    assert app.text_input(key="bijdrage_geopend").value == "ooit"
    assert app.multiselect(key="bijdrage_doelgroep").value == ["ouderen"]
    assert inbox.read_queue(store).empty


def test_a_correct_form_is_queued_and_the_form_emptied_for_the_next(store):
    app = run("bijdragen")
    fill_correctly(app)
    send(app)
    assert errors(app) == []
    assert app.success[0].value.startswith("Bedankt!")
    queue = inbox.read_queue(store, contact=True)
    assert list(queue["naam"]) == ["Huiskamer De Linde"]
    assert queue.iloc[0]["buurtcode"] == "BU03440611" and queue.iloc[0]["contact_email"] == "anna@example.org"
    assert app.text_input(key="bijdrage_naam").value == ""
    assert app.checkbox(key="bijdrage_toestemming").value is False
    assert (wstore.read_records(store)["bron"] == inbox.BRON).sum() == 0  # pending: not on the map


def test_a_second_send_right_away_waits_and_keeps_the_form(store):
    app = run("bijdragen")
    fill_correctly(app)
    send(app)
    fill_correctly(app)
    send(app)
    assert "seconden" in app.warning[0].value
    assert app.text_input(key="bijdrage_naam").value == "Huiskamer De Linde"
    assert len(inbox.read_queue(store)) == 1


def test_a_bot_filling_the_honeypot_is_thanked_and_ignored(store):
    app = run("bijdragen")
    fill_correctly(app)
    app.text_input(key=f"bijdrage_{checks.HONEYPOT}").input("http://spam.example")
    send(app)
    assert app.success[0].value.startswith("Bedankt!")
    assert inbox.read_queue(store).empty


def test_the_form_speaks_english_on_the_switch(store):
    app = AppTest.from_file(PAGES.format("bijdragen"), default_timeout=60)
    app.query_params["lang"] = "en"
    app.run()
    send(app)
    assert "Fill in the name of the example." in errors(app)


def test_moderation_without_a_secret_says_it_is_off_and_shows_nothing_else(store, monkeypatch):
    monkeypatch.delenv(inbox.SECRET_ENV, raising=False)
    inbox.submit(checks.check_submission(_valid_raw(), checks.StorePlaces(store))[0], store)
    app = run("moderatie")
    assert [element.value for element in app.info] == [
        "Moderatie staat uit: er is geen moderatorgeheim ingesteld (WIJKMAP_MODERATOR_SECRET, in de omgeving"
        " of in .streamlit/secrets.toml)."
    ]
    assert len(app.text_input) == 0 and len(app.dataframe) == 0 and len(app.button) == 0


def _valid_raw(**overrides) -> dict:
    raw = {
        "naam": "<img src=x onerror=alert(1)>", "omschrijving": "Een huiskamer voor de hele buurt, elke week.",
        "soort": "huis_van_de_wijk", "buurtcode": "BU03440611", "contact_email": "piet@example.org",
        "contact_naam": "Piet", "toestemming": True,
    }  # fmt: skip
    raw.update(overrides)
    return raw


def login(app: AppTest, secret: str, name: str = "Anna") -> AppTest:
    app.text_input(key="mod_login_secret").input(secret)
    app.text_input(key="mod_login_name").input(name)
    app.button[0].click().run()
    assert not app.exception, app.exception
    return app


def test_moderation_needs_the_right_secret_then_approves_and_logs(store, monkeypatch):
    monkeypatch.setenv(inbox.SECRET_ENV, SECRET)
    number = inbox.submit(checks.check_submission(_valid_raw(), checks.StorePlaces(store))[0], store)
    app = login(run("moderatie"), "verkeerd")
    assert errors(app) == ["Dat geheim klopt niet."]
    assert len(app.dataframe) == 0

    app = login(run("moderatie"), SECRET, "Anna")
    table = app.dataframe[0].value
    assert table["#"].tolist() == [number]
    assert table["E-mail"].tolist() == ["piet@example.org"]
    # When it was sent, as a Dutch clock reads it ('2 dec 2026 05:13'), not an ISO stamp.
    assert re.fullmatch(r"\d{1,2} \w{3} \d{4} \d{2}:\d{2}", table["Ingestuurd"].iloc[0]), table["Ingestuurd"].iloc[0]
    approve = next(button for button in app.button if button.label == "Goedkeuren en publiceren")
    approve.click().run()
    assert not app.exception, app.exception
    assert app.success[0].value.startswith(f"Gepubliceerd: bijdrage {number}")
    assert inbox.get_submission(number, store)["status"] == inbox.APPROVED
    assert inbox.read_log(store).iloc[0][["moderator", "actie"]].tolist() == ["Anna", "goedgekeurd"]
    assert inbox.record_id(number) in set(wstore.read_records(store)["id"])
    log = app.dataframe[-1].value
    assert "T" not in log["Tijd"].iloc[0] and log["Tijd"].iloc[0][-3] == ":", log["Tijd"].iloc[0]


@pytest.mark.parametrize(
    "secrets",
    [{inbox.SECRET_ENV: SECRET}, {"wijkmap": {"moderator_secret": SECRET}}],
    ids=["top-level", "wijkmap-table"],
)
def test_the_secret_can_come_from_streamlit_secrets(store, monkeypatch, secrets):
    """As .streamlit/secrets.toml holds it: the page reads st.secrets, no variable needed."""
    monkeypatch.delenv(inbox.SECRET_ENV, raising=False)
    number = inbox.submit(checks.check_submission(_valid_raw(), checks.StorePlaces(store))[0], store)
    app = AppTest.from_file(PAGES.format("moderatie"), default_timeout=60)
    app.secrets.update(secrets)
    app.run()
    assert not app.info  # moderation is on
    assert errors(login(app, "verkeerd")) == ["Dat geheim klopt niet."]
    app = login(app, SECRET, "Anna")
    assert app.dataframe[0].value["#"].tolist() == [number]


def test_a_session_is_logged_out_when_the_secret_changes(store, monkeypatch):
    monkeypatch.setenv(inbox.SECRET_ENV, SECRET)
    app = login(run("moderatie"), SECRET)
    assert app.radio(key="mod_status")  # in
    monkeypatch.setenv(inbox.SECRET_ENV, "een-nieuw-geheim")
    app.run()
    assert app.text_input(key="mod_login_secret")  # back at the login form
    assert len(app.dataframe) == 0


def test_rejecting_needs_a_reason(store, monkeypatch):
    monkeypatch.setenv(inbox.SECRET_ENV, SECRET)
    number = inbox.submit(checks.check_submission(_valid_raw(), checks.StorePlaces(store))[0], store)
    app = login(run("moderatie"), SECRET)
    reject = next(button for button in app.button if button.label == "Afwijzen")
    reject.click().run()
    assert "Geef een reden voor de afwijzing." in errors(app)
    app.text_input(key=f"mod{number}_reden").input("Geen sociale basis, maar reclame")
    next(button for button in app.button if button.label == "Afwijzen").click().run()
    row = inbox.get_submission(number, store)
    assert (row["status"], row["reden"]) == (inbox.REJECTED, "Geen sociale basis, maar reclame")


def test_the_publication_shows_approved_examples_only_and_escaped(store):
    places = checks.StorePlaces(store)
    shown = inbox.submit(checks.check_submission(_valid_raw(), places)[0], store)
    inbox.submit(checks.check_submission(_valid_raw(naam="Nog niet gekeurd"), places)[0], store)
    inbox.approve(shown, "Anna", store)
    app = run("voorbeelden")
    bodies = " ".join(element.proto.body for element in app.get("html"))
    assert "&lt;img src=x onerror=alert(1)&gt;" in bodies
    assert "<img" not in bodies
    assert "Nog niet gekeurd" not in bodies
    assert "piet@example.org" not in bodies and "Piet" not in bodies
    assert "**1 van 1 voorbeelden**" in [element.value for element in app.markdown]


def test_repeated_wrong_secrets_block_the_login_for_a_while(store, monkeypatch):
    monkeypatch.setenv(inbox.SECRET_ENV, SECRET)
    app = run("moderatie")
    for attempt in range(clients.LOGIN_MAX_FAILURES):
        login(app, f"gok-{attempt}")
    app.run()
    assert "Te veel pogingen" in app.warning[0].value
    assert len(app.text_input) == 0  # not even the right secret can be tried now


def test_moderation_keeps_a_form_after_looking_at_another_one_and_approves_it(store, monkeypatch):
    """A → B → A: Streamlit drops the state of widgets it did not draw; A's fields must come back."""
    monkeypatch.setenv(inbox.SECRET_ENV, SECRET)
    places = checks.StorePlaces(store)
    first = inbox.submit(checks.check_submission(_valid_raw(naam="Huiskamer A"), places)[0], store)
    second = inbox.submit(checks.check_submission(_valid_raw(naam="Huiskamer B", buurtcode="", lat="51,9225",
                                                    lon="4,4792"), places)[0], store)  # fmt: skip
    app = login(run("moderatie"), SECRET)
    app.selectbox(key="mod_chosen").select(first).run()
    app.text_input(key=f"mod{first}_naam").input("Huiskamer A, bewerkt").run()  # an unsaved edit
    app.selectbox(key="mod_chosen").select(second).run()
    assert app.text_input(key=f"mod{second}_naam").value == "Huiskamer B"
    app.selectbox(key="mod_chosen").select(first).run()
    assert not app.exception, app.exception
    assert app.text_input(key=f"mod{first}_naam").value == "Huiskamer A, bewerkt"
    assert app.text_area(key=f"mod{first}_omschrijving").value == "Een huiskamer voor de hele buurt, elke week."
    assert app.selectbox(key=f"mod{first}_soort").value == "huis_van_de_wijk"
    assert app.selectbox(key=f"mod{first}_buurtcode").value == "BU03440611"
    next(button for button in app.button if button.label == "Goedkeuren en publiceren").click().run()
    assert errors(app) == []
    assert app.success[0].value.startswith(f"Gepubliceerd: bijdrage {first}")
    row = inbox.get_submission(first, store)
    assert (row["status"], row["naam"], row["buurtcode"]) == (inbox.APPROVED, "Huiskamer A, bewerkt", "BU03440611")


def _send_from_a_fresh_session() -> AppTest:
    app = run("bijdragen")
    fill_correctly(app)
    return send(app)


def test_fresh_sessions_from_one_address_are_refused_after_its_limit_and_others_still_send(store, address, monkeypatch):
    """A new session resets the per-session limit, not the per-address one."""
    monkeypatch.setattr(inbox, "CLIENT_RATE_MAX", 3)
    for _ in range(inbox.CLIENT_RATE_MAX):
        assert _send_from_a_fresh_session().success[0].value.startswith("Bedankt!")
    refused = _send_from_a_fresh_session()
    assert refused.warning[0].value.startswith("Vanaf jouw internetadres zijn het afgelopen uur al 3 voorbeelden")
    assert len(refused.success) == 0
    assert refused.text_input(key="bijdrage_naam").value == "Huiskamer De Linde"  # what was typed stays
    assert len(inbox.read_queue(store)) == inbox.CLIENT_RATE_MAX

    address["peer"] = "198.51.100.4"  # someone else, meanwhile
    assert _send_from_a_fresh_session().success[0].value.startswith("Bedankt!")
    assert len(inbox.read_queue(store)) == inbox.CLIENT_RATE_MAX + 1


def test_behind_a_proxy_the_trusted_header_tells_clients_apart(store, address, monkeypatch):
    """A proxy on this machine (no peer address) passes the client in X-Forwarded-For;
    what the client wrote into that header itself (left of the proxy's hop) is ignored."""
    monkeypatch.setenv(clients.TRUSTED_HEADER_ENV, "X-Forwarded-For")
    monkeypatch.setattr(inbox, "CLIENT_RATE_MAX", 1)
    address["peer"] = None
    address["headers"] = {"x-forwarded-for": ["10.1.1.1, 203.0.113.7"]}
    assert _send_from_a_fresh_session().success[0].value.startswith("Bedankt!")
    address["headers"] = {"x-forwarded-for": ["10.2.2.2, 203.0.113.7"]}  # a forged left part changes nothing
    assert _send_from_a_fresh_session().warning[0].value.startswith("Vanaf jouw internetadres")
    address["headers"] = {"x-forwarded-for": ["198.51.100.4"]}
    assert _send_from_a_fresh_session().success[0].value.startswith("Bedankt!")
    with wstore.transaction(store) as connection:
        dump = repr(connection.execute(f"SELECT * FROM {inbox.QUEUE}").fetchall())
    assert "203.0.113.7" not in dump and "198.51.100.4" not in dump  # stored hashed only
    assert inbox.SENDER not in inbox.read_queue(store, contact=True).columns  # and never read out


def _login_form_shown(app: AppTest) -> bool:
    return any(widget.key == "mod_login_secret" for widget in app.text_input)


def test_wrong_secrets_from_one_address_do_not_lock_the_moderator_out_elsewhere(store, address, monkeypatch):
    monkeypatch.setenv(inbox.SECRET_ENV, SECRET)
    tried = 0
    for _ in range(6):  # fresh sessions, up to 30 guesses, as a guessing script would
        app = run("moderatie")
        for _ in range(clients.LOGIN_MAX_FAILURES):
            if not _login_form_shown(app):
                break
            login(app, f"gok-{tried}")
            tried += 1
    address["peer"] = "198.51.100.9"  # the moderator, elsewhere
    moderator = run("moderatie")
    assert _login_form_shown(moderator), "the moderator is locked out by someone else's guesses"
    assert login(moderator, SECRET, "Anna").radio(key="mod_status")  # logged in

    address["peer"] = "203.0.113.7"  # the guesser stays locked out, also in a new session
    blocked = run("moderatie")
    assert "Te veel pogingen" in blocked.warning[0].value and not _login_form_shown(blocked)
    assert tried == clients.LOGIN_MAX_FAILURES_CLIENT


MARKDOWN = "[x](http://evil.example) ![i](http://evil.example/a.png) <b>vet</b>"


def test_moderation_shows_markdown_and_html_in_a_submission_literally(store, monkeypatch):
    monkeypatch.setenv(inbox.SECRET_ENV, SECRET)
    raw = _valid_raw(naam=f"Huiskamer {MARKDOWN}", omschrijving=f"Een verhaal met {MARKDOWN}",
                     contact_naam=f"Piet {MARKDOWN}")  # fmt: skip
    number = inbox.submit(checks.check_submission(raw, checks.StorePlaces(store))[0], store)
    app = login(run("moderatie"), SECRET)
    # No text element that renders Markdown or HTML carries any of it ...
    rendered = [element.value for kind in ("markdown", "caption", "error", "warning", "info", "success")
                for element in app.get(kind)]  # fmt: skip
    rendered += [element.proto.body for element in app.get("html")]
    assert not [text for text in rendered if "evil.example" in text or "<b>" in text]
    # ... and where it is shown, it is shown as typed.
    assert app.selectbox(key="mod_chosen").format_func(number) == f"#{number} · Huiskamer {MARKDOWN}"
    assert app.text_input(key=f"mod{number}_naam").value == f"Huiskamer {MARKDOWN}"
    assert app.text_area(key=f"mod{number}_omschrijving").value == f"Een verhaal met {MARKDOWN}"
    assert f"Piet {MARKDOWN} <piet@example.org>" in [element.value for element in app.text]
    assert app.dataframe[0].value.iloc[0]["Naam"] == f"Huiskamer {MARKDOWN}"
