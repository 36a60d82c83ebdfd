"""Contributions: checking a form, the queue, moderation and its log, the secret, and
durability with many writers at once. Runs on a private copy of the small real store."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import multiprocessing
import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest

from wijkmap.contributions import checks, clients, inbox, publication
from wijkmap.core.records import FIELDS
from wijkmap.data import export, store as wstore
from wijkmap.data.backend import is_postgres

T0 = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
HOSTILE = "<img src=x onerror=alert(1)>"
EMAIL = "geheim.adres@example.org"
CONTACT = "Jantje Contactpersoon"
SMALL_GEMEENTEN = ["GM0344", "GM0599", "GM0363"]  # as in conftest.small_store_path


def form(**overrides) -> dict:
    """A complete, valid form as the widgets hand it over."""
    raw = {
        "naam": "Huiskamer De Linde",
        "omschrijving": "Elke dinsdag koffie en soep voor ouderen en nieuwkomers in de buurt.",
        "soort": "huis_van_de_wijk",
        "strategie": "bridging",
        "actortype": ["bewoners", "woningcorporatie"],
        "doelgroep": ["ouderen", "nieuwkomers"],
        "tarief": "gratis",
        "tijdelijk": "ja",
        "geopend": "2019",
        "gesloten": "",
        "url": "https://example.org/linde",
        "buurtcode": "BU03440611",
        "lat": "",
        "lon": "",
        "contact_naam": CONTACT,
        "contact_email": EMAIL,
        "toestemming": True,
        checks.HONEYPOT: "",
    }
    raw.update(overrides)
    return raw


@pytest.fixture
def store(store_url):
    """The queue and moderation tests on both backends (GeoPackage and PostgreSQL)."""
    return store_url


@pytest.fixture
def places(store):
    return checks.StorePlaces(store)


def submitted(places, store, **overrides) -> int:
    submission, problems = checks.check_submission(form(**overrides), places)
    assert problems == []
    return inbox.submit(submission, store, now=T0)


def fields_of(problems) -> dict[str, str]:
    return {problem.field: problem.message for problem in problems}


# --- checking a form ---------------------------------------------------------------------


def test_a_complete_form_becomes_a_submission_placed_in_its_buurt(places):
    submission, problems = checks.check_submission(form(), places)
    assert problems == []
    fields = submission.example.fields
    assert fields["actortype"] == "bewoners;woningcorporatie"  # normalised by records.parse_fields
    assert fields["tijdelijk"] == "ja" and fields["geopend"] == "2019"
    location = submission.example.location
    assert (location.buurtcode, location.wijkcode, location.gemeentecode) == ("BU03440611", "WK034406", "GM0344")
    assert location.locatie == "buurt"
    assert 5.0 < location.lon < 5.3 and 52.0 < location.lat < 52.2
    assert (submission.contact_naam, submission.contact_email) == (CONTACT, EMAIL)


def test_coordinates_with_a_decimal_comma_are_placed_by_point_in_polygon(places):
    submission, problems = checks.check_submission(form(buurtcode="", lat="52,0907", lon="5,1214"), places)
    assert problems == []
    location = submission.example.location
    assert (location.lon, location.lat, location.locatie) == (5.1214, 52.0907, "coordinaten")
    assert location.buurtcode.startswith("BU0344")


def test_an_empty_form_names_every_missing_field_in_dutch(places):
    submission, problems = checks.check_submission({}, places)
    assert submission is None
    messages = fields_of(problems)
    assert set(messages) == {"naam", "soort", "omschrijving", "locatie", "contact_email", "toestemming"}
    assert messages["naam"] == "Vul de naam van het voorbeeld in."
    assert messages["toestemming"].startswith("Vink aan")
    assert len(problems) == len(messages)  # one message per field


def test_the_record_rules_of_imports_apply_dates_urls_order(places):
    _, problems = checks.check_submission(form(geopend="2019-02-30", url="javascript:alert(1)"), places)
    messages = fields_of(problems)
    assert set(messages) == {"geopend", "url"}
    assert "2019-03-01" in messages["geopend"] and "https://" in messages["url"]
    _, problems = checks.check_submission(form(geopend="2020", gesloten="2015"), places)
    assert fields_of(problems) == {"gesloten": "Het jaar van stoppen ligt vóór het begin."}


def test_lengths_are_limited(places):
    _, problems = checks.check_submission(
        form(naam="x" * 201, omschrijving="y" * (checks.STORY_MAX + 1), contact_email="a" * 250 + "@example.org",
             contact_naam="z" * 101),
        places,
    )  # fmt: skip
    messages = fields_of(problems)
    assert messages["naam"] == "Dit is te lang: maximaal 200 tekens."
    assert messages["omschrijving"] == f"Dit is te lang: maximaal {checks.STORY_MAX} tekens."
    assert set(messages) == {"naam", "omschrijving", "contact_email", "contact_naam"}
    _, problems = checks.check_submission(form(omschrijving="Te kort"), places)
    assert fields_of(problems)["omschrijving"] == f"Vertel iets meer: minstens {checks.STORY_MIN} tekens."


@pytest.mark.parametrize(
    "overrides, field, fragment",
    [
        ({"buurtcode": "", "lat": "5,1214", "lon": "52,0907"}, "lat", "verwisseld"),
        ({"buurtcode": "", "lat": "48,85", "lon": "2,35"}, "lat", "niet in een buurt"),  # Paris
        ({"buurtcode": "", "lat": "52,09", "lon": ""}, "lon", "lengtegraad"),
        ({"buurtcode": "", "lat": "twee", "lon": "5"}, "lat", "geen getal"),
        ({"buurtcode": "BU99999999"}, "locatie", "kennen we niet"),
        ({"buurtcode": "Dom'; DROP TABLE x"}, "locatie", "kennen we niet"),
        ({"contact_email": "geen-adres"}, "contact_email", "geen e-mailadres"),
        ({"contact_email": "a@b.nl<script>"}, "contact_email", "geen e-mailadres"),
        ({"toestemming": "yes"}, "toestemming", "akkoord"),  # only a ticked box counts
        ({"soort": "speeltuin"}, "soort", "uit de lijst"),
    ],
)
def test_wrong_values_get_a_message_at_their_field(places, overrides, field, fragment):
    submission, problems = checks.check_submission(form(**overrides), places)
    assert submission is None
    assert fragment in fields_of(problems)[field]


def test_messages_follow_the_interface_language(places):
    _, problems = checks.check_submission({}, places, lang="en")
    assert fields_of(problems)["naam"] == "Fill in the name of the example."


def test_control_characters_are_dropped_and_line_ends_kept(places):
    submission, _ = checks.check_submission(
        form(naam="Buurt\x00kamer\x1b", omschrijving="Regel een\r\nregel twee is lang genoeg"), places
    )
    assert submission.example.fields["naam"] == "Buurtkamer"
    assert submission.example.fields["omschrijving"] == "Regel een\nregel twee is lang genoeg"


def test_bidi_overrides_are_dropped_like_control_characters(places):
    submission, problems = checks.check_submission(
        form(naam="Buurtkamer \u202eedniL\u202c", url="https://example.org/\u2066x"), places
    )
    assert problems == []
    assert (submission.example.fields["naam"], submission.example.fields["url"]) == (
        "Buurtkamer edniL",
        "https://example.org/x",
    )


def test_the_honeypot_and_the_rate_limit():
    assert not checks.is_bot(form())
    assert checks.is_bot(form(**{checks.HONEYPOT: "http://spam.example"}))
    now = 10_000.0
    assert checks.wait_before_next([], now) == 0
    assert checks.wait_before_next([now - 2], now) == pytest.approx(checks.RATE_MIN_GAP_S - 2)
    spaced = [now - 100 * i for i in range(1, checks.RATE_MAX + 1)]
    assert checks.wait_before_next(spaced, now) == pytest.approx(checks.RATE_WINDOW_S - 100 * checks.RATE_MAX)
    assert checks.wait_before_next([now - checks.RATE_WINDOW_S - 1] * 10, now) == 0  # old sends do not count


# --- queue and publication ---------------------------------------------------------------


def _everything_public(path: Path) -> str:
    """All a visitor or an export can reach: the records, in every export format, and the
    Voorbeelden page's HTML."""
    records = wstore.read_records(path)
    parts = [records.drop(columns="geometry").to_csv()]
    for fmt in ("csv", "geojson"):
        parts.append(export.export_records(records, fmt).decode("utf-8", errors="replace"))
    gpkg = export.export_records(records, "gpkg")
    parts.append(gpkg.decode("latin-1"))
    cards = publication.cards(publication.examples(records), {}, {}, "nl")
    parts.append(publication.document_html(cards, "nl"))
    return "\n".join(parts)


def test_a_submission_waits_in_the_queue_and_is_nowhere_public(store, places):
    number = submitted(places, store, naam="Wachtende Huiskamer")
    queue = inbox.read_queue(store, status=inbox.PENDING, contact=True)
    assert list(queue["id"]) == [number]
    assert queue.iloc[0]["contact_email"] == EMAIL
    assert "contact_email" not in inbox.read_queue(store).columns  # contact only when asked for
    public = _everything_public(store)
    assert "Wachtende Huiskamer" not in public and EMAIL not in public
    assert (wstore.read_records(store)["bron"] == inbox.BRON).sum() == 0


def test_approval_publishes_a_record_with_bron_bijdrage_and_no_contact_data(store, places):
    number = submitted(places, store, naam=HOSTILE)
    record_id = inbox.approve(number, "Anna", store, now=T0)
    records = wstore.read_records(store)
    published = records[records["id"] == record_id].iloc[0]
    assert published["bron"] == "bijdrage" and published["naam"] == HOSTILE
    assert published["buurtcode"] == "BU03440611" and published["gemeentecode"] == "GM0344"
    assert published["actortype"] == "bewoners;woningcorporatie"
    public = _everything_public(store)
    assert EMAIL not in public and CONTACT not in public
    with closing(wstore.connect(store)) as connection:  # not in any column of the records layer either
        dump = json.dumps(connection.execute(f"SELECT * FROM {wstore.RECORDS}").fetchall(), default=str)
    assert EMAIL not in dump and CONTACT not in dump
    assert set(inbox.to_record(inbox.get_submission(number, store))) == set(FIELDS)


def test_every_moderation_action_is_logged_with_time_and_moderator(store, places):
    number = submitted(places, store)
    example, _ = checks.check_example(form(naam="Huiskamer De Linde (Lombok)"), checks.StorePlaces(store))
    assert inbox.edit(number, example, "Anna", store, now=T0) == ["naam"]
    assert inbox.edit(number, example, "Anna", store, now=T0) == []  # nothing changed: nothing logged
    inbox.approve(number, "Bram", store, now=T0 + dt.timedelta(minutes=1))
    inbox.reject(number, "Carla", "Dubbel ingestuurd", store, now=T0 + dt.timedelta(minutes=2))
    log = inbox.read_log(store).iloc[::-1]  # oldest first
    assert list(log["actie"]) == ["bewerkt", "goedgekeurd", "afgewezen"]
    assert list(log["moderator"]) == ["Anna", "Bram", "Carla"]
    assert list(log["tijd"]) == ["2026-03-01T09:30:00+00:00", "2026-03-01T09:31:00+00:00", "2026-03-01T09:32:00+00:00"]
    assert list(log["toelichting"]) == ["naam", "", "Dubbel ingestuurd"]
    assert set(log["bijdrage_id"]) == {number}
    row = inbox.get_submission(number, store)
    assert (row["status"], row["reden"]) == (inbox.REJECTED, "Dubbel ingestuurd")


def test_rejection_needs_a_reason_and_actions_a_moderator_name(store, places):
    number = submitted(places, store)
    with pytest.raises(inbox.ModerationError, match="reden"):
        inbox.reject(number, "Anna", "   ", store)
    with pytest.raises(inbox.ModerationError, match="moderator"):
        inbox.approve(number, "", store)
    with pytest.raises(inbox.ModerationError, match="bestaat niet"):
        inbox.approve(number + 100, "Anna", store)
    assert inbox.read_log(store).empty
    assert inbox.get_submission(number, store)["status"] == inbox.PENDING


def test_a_published_example_is_updated_by_an_edit_and_removed_by_a_rejection(store, places):
    number = submitted(places, store)
    record_id = inbox.approve(number, "Anna", store)
    assert inbox.approve(number, "Anna", store) == record_id  # twice: published once, logged once
    assert len(inbox.read_log(store)) == 1
    example, _ = checks.check_example(
        form(naam="Nieuwe naam", buurtcode="", lat="51,9225", lon="4,4792"), checks.StorePlaces(store)
    )
    inbox.edit(number, example, "Anna", store)
    published = wstore.read_records(store).set_index("id").loc[record_id]
    assert published["naam"] == "Nieuwe naam" and published["gemeentecode"] == "GM0599"  # moved to Rotterdam
    inbox.reject(number, "Anna", "Bestaat niet meer", store)
    assert record_id not in set(wstore.read_records(store)["id"])


def test_a_full_queue_refuses_new_submissions(store, places, monkeypatch):
    monkeypatch.setattr(inbox, "MAX_PENDING", 2)
    submitted(places, store)
    submitted(places, store)
    with pytest.raises(inbox.QueueFull):
        submitted(places, store)
    assert len(inbox.read_queue(store)) == 2


def test_one_sender_is_held_to_its_own_share_of_the_queue_and_others_still_send(store, places, monkeypatch):
    monkeypatch.setattr(inbox, "CLIENT_MAX_PENDING", 2)
    checked = checks.check_submission(form(), places)[0]
    first = inbox.submit(checked, store, now=T0, sender="a")
    inbox.submit(checked, store, now=T0, sender="a")
    with pytest.raises(inbox.TooManyFromClient) as refused:
        inbox.submit(checked, store, now=T0 + dt.timedelta(hours=2), sender="a")
    assert (refused.value.wait_s, refused.value.count) == (None, 2)  # waiting, not a matter of time
    inbox.submit(checked, store, now=T0, sender="b")  # someone else is not affected
    inbox.reject(first, "Anna", "Dubbel", store)
    inbox.submit(checked, store, now=T0 + dt.timedelta(hours=2), sender="a")  # moderated: room again
    assert len(inbox.read_queue(store, status=inbox.PENDING)) == 3


def test_one_sender_may_send_so_many_per_hour(store, places, monkeypatch):
    monkeypatch.setattr(inbox, "CLIENT_RATE_MAX", 3)
    checked = checks.check_submission(form(), places)[0]
    for minute in range(3):
        inbox.submit(checked, store, now=T0 + dt.timedelta(minutes=minute), sender="a")
    with pytest.raises(inbox.TooManyFromClient) as refused:
        inbox.submit(checked, store, now=T0 + dt.timedelta(minutes=30), sender="a")
    assert refused.value.count == 3 and refused.value.wait_s == pytest.approx(30 * 60)  # when the first is an hour old
    inbox.submit(checked, store, now=T0 + dt.timedelta(minutes=30), sender="b")
    inbox.submit(checked, store, now=T0 + dt.timedelta(minutes=60, seconds=1), sender="a")


def test_a_sender_is_forgotten_once_no_limit_needs_it(store, places):
    checked = checks.check_submission(form(), places)[0]
    old, waiting = (inbox.submit(checked, store, now=T0, sender=key) for key in ("oud", "wacht"))
    inbox.approve(old, "Anna", store)
    inbox.submit(checked, store, now=T0 + dt.timedelta(hours=2), sender="nieuw")
    with wstore.transaction(store) as connection:
        senders = dict(connection.execute(f"SELECT id, {inbox.SENDER} FROM {inbox.QUEUE}").fetchall())
    assert senders[old] == ""  # moderated and older than the window
    assert senders[waiting] == "wacht"  # still counts towards its sender's share


def test_a_queue_from_before_the_per_address_limits_gets_the_column_and_keeps_its_rows(store, places):
    old_sql = inbox._QUEUE_SQL.replace(",\n    afzender TEXT NOT NULL DEFAULT ''", "")
    assert inbox.SENDER not in old_sql
    with wstore.transaction(store) as connection:
        connection.execute(old_sql)
        number = connection.execute(
            f"INSERT INTO {inbox.QUEUE} (ingediend, naam, omschrijving, soort, buurtcode, wijkcode, gemeentecode, "
            "lon, lat, locatie, contact_email) VALUES ('2025-01-01T00:00:00+00:00', 'Oude bijdrage', "
            "'Een verhaal van lang geleden, lang genoeg.', 'huis_van_de_wijk', 'BU03440611', 'WK034406', "
            "'GM0344', 5.1, 52.1, 'buurt', 'oud@example.org') RETURNING id"
        ).fetchone()[0]
    second = inbox.submit(checks.check_submission(form(), places)[0], store, sender="a")
    assert sorted(inbox.read_queue(store)["id"]) == [number, second]
    assert inbox.approve(number, "Anna", store) == inbox.record_id(number)


def test_the_client_address_is_the_peer_or_behind_a_trusted_proxy_the_last_untrusted_hop():
    def headers(**values):
        return lambda name: values.get(name.lower().replace("-", "_"), [])

    direct = {}
    assert clients.client_address("203.0.113.7", environ=direct) == "203.0.113.7"
    assert clients.client_address(None, environ=direct) == clients.LOCAL
    assert clients.client_address("2001:db8:1:2:aaaa::1", environ=direct) == "2001:db8:1::/48"  # one household
    assert clients.client_address("::ffff:203.0.113.7", environ=direct) == "203.0.113.7"
    forged = headers(x_forwarded_for=["198.51.100.4"])
    assert clients.client_address("203.0.113.7", forged, direct) == "203.0.113.7"  # no proxy configured: header ignored

    proxy = {clients.TRUSTED_HEADER_ENV: "X-Forwarded-For"}
    chain = headers(x_forwarded_for=["6.6.6.6, 7.7.7.7", "203.0.113.7"])  # two header lines count as one list
    assert clients.client_address(None, chain, proxy) == "203.0.113.7"  # proxy on this machine
    assert clients.client_address("198.51.100.9", chain, proxy) == "198.51.100.9"  # not via the proxy: the peer
    assert clients.client_address(None, headers(), proxy) == clients.LOCAL
    inner = {**proxy, clients.TRUSTED_PROXIES_ENV: "10.0.0.0/8, 192.0.2.1"}
    hops = headers(x_forwarded_for=["6.6.6.6, 203.0.113.7:51234, 192.0.2.1, 10.0.0.5"])
    assert clients.client_address("10.0.0.6", hops, inner) == "203.0.113.7"
    assert clients.client_address("10.0.0.6", headers(x_forwarded_for=["10.0.0.7"]), inner) == "10.0.0.7"
    with pytest.raises(ValueError, match="WIJKMAP_TRUSTED_PROXIES: 'tien' is geen IP-adres"):
        clients.client_address(None, hops, {**proxy, clients.TRUSTED_PROXIES_ENV: "tien"})


def test_one_home_on_ipv6_is_one_client_however_many_addresses_it_picks(store, places, monkeypatch):
    # A home gets a /48 or a /56 from its provider: 65,536 or 256 networks of /64 to pick from.
    home = [f"2001:db8:77:{subnet:x}::{host:x}" for subnet in (0, 1, 0xFF, 0x100, 0xFFFF) for host in (1, 0xBEEF)]
    assert len({clients.client_address(address, environ={}) for address in home}) == 1
    assert clients.client_address("2001:db8:78::1", environ={}) != clients.client_address(
        home[0], environ={}
    )  # the neighbours
    monkeypatch.setattr(inbox, "CLIENT_MAX_PENDING", 3)
    checked = checks.check_submission(form(), places)[0]
    for address in home[:3]:
        inbox.submit(checked, store, now=T0, sender=clients.client_key(clients.client_address(address, environ={})))
    with pytest.raises(inbox.TooManyFromClient):
        inbox.submit(checked, store, now=T0, sender=clients.client_key(clients.client_address(home[-1], environ={})))
    inbox.submit(
        checked, store, now=T0, sender=clients.client_key(clients.client_address("2001:db8:78::1", environ={}))
    )
    failures = clients.LoginFailures()
    for address in home[: clients.LOGIN_MAX_FAILURES_CLIENT]:
        failures.add(clients.client_key(clients.client_address(address, environ={})), 5_000.0)
    assert failures.wait(clients.client_key(clients.client_address(home[-1], environ={})), 5_000.0) > 0


def test_a_client_key_is_a_keyed_hash_not_the_address():
    key = clients.client_key("203.0.113.7", {clients.CLIENT_SALT_ENV: "zout"})
    assert len(key) == 64 and "203" not in key
    assert key == clients.client_key("203.0.113.7", {clients.CLIENT_SALT_ENV: "zout"})
    assert key != clients.client_key("203.0.113.7", {clients.CLIENT_SALT_ENV: "ander zout"})
    assert key != clients.client_key("203.0.113.8", {clients.CLIENT_SALT_ENV: "zout"})
    assert clients.client_key("203.0.113.7", {}) == clients.client_key(
        "203.0.113.7", {}
    )  # random, but fixed per process


def test_wrong_secrets_are_counted_per_client_and_kept_within_bounds():
    failures, now = clients.LoginFailures(max_clients=3), 5_000.0
    for _ in range(clients.LOGIN_MAX_FAILURES_CLIENT):
        failures.add("gokker", now)
    assert failures.wait("gokker", now) == pytest.approx(clients.LOGIN_WINDOW_S)
    assert failures.wait("moderator", now) == 0
    assert failures.wait("gokker", now + clients.LOGIN_WINDOW_S) == 0
    for other in ("b", "c", "d"):
        failures.add(other, now)
    assert failures.wait("gokker", now) == 0  # the oldest client went first


def test_reading_a_store_without_contributions_creates_nothing(store):
    assert inbox.read_queue(store).empty and inbox.read_log(store).empty
    with closing(wstore.connect(store)) as connection:
        assert not wstore.has_table(connection, inbox.QUEUE) and not wstore.has_table(connection, inbox.LOG)


# --- the moderator secret ----------------------------------------------------------------


def test_moderation_is_off_without_a_secret_and_there_is_no_default():
    assert not inbox.moderation_enabled({})
    assert not inbox.moderation_enabled({inbox.SECRET_ENV: ""})
    assert not inbox.moderation_enabled({inbox.SECRET_ENV: "   "})
    for guess in ("", None, "admin", "geheim", "changeme", "   "):
        assert not inbox.secret_matches(guess, {})
        assert not inbox.secret_matches(guess, {inbox.SECRET_ENV: "   "})


def test_the_secret_comes_from_streamlit_secrets_first_then_the_environment():
    env = {inbox.SECRET_ENV: "uit-de-omgeving"}
    assert inbox.moderation_secret(env) == "uit-de-omgeving"
    assert inbox.moderation_secret(env, secrets={}) == "uit-de-omgeving"
    assert inbox.moderation_secret(env, secrets={inbox.SECRET_ENV: "uit-het-bestand"}) == "uit-het-bestand"
    table = {"wijkmap": {"moderator_secret": "uit-de-tabel"}, inbox.SECRET_ENV: "uit-het-bestand"}
    assert inbox.moderation_secret(env, secrets=table) == "uit-de-tabel"
    # Blank or not text in the file: as if it were not there.
    assert inbox.moderation_secret(env, secrets={"wijkmap": {"moderator_secret": "  "}}) == "uit-de-omgeving"
    assert inbox.moderation_secret({}, secrets={inbox.SECRET_ENV: 1234, "wijkmap": "geheim"}) == ""
    assert inbox.secret_matches("uit-de-tabel", {}, secrets=table)
    assert not inbox.secret_matches("uit-de-omgeving", env, secrets=table)
    assert inbox.moderation_enabled({}, secrets=table) and not inbox.moderation_enabled({}, secrets={})


def test_the_secret_is_compared_in_constant_time(monkeypatch):
    env = {inbox.SECRET_ENV: "kl0k-van-de-dom"}
    calls = []
    real = clients.hmac.compare_digest
    monkeypatch.setattr(clients.hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b))
    assert inbox.secret_matches("kl0k-van-de-dom", env)
    assert not inbox.secret_matches("kl0k-van-de-do", env)
    assert not inbox.secret_matches("KL0K-VAN-DE-DOM", env)
    assert len(calls) == 3
    assert inbox.moderation_enabled(env)


def test_logins_are_slowed_after_repeated_failures():
    now = 5_000.0
    assert clients.login_wait([now - 1] * (clients.LOGIN_MAX_FAILURES - 1), now) == 0
    assert clients.login_wait([now - 1] * clients.LOGIN_MAX_FAILURES, now) == pytest.approx(clients.LOGIN_WINDOW_S - 1)


# --- durability ---------------------------------------------------------------------------

WRITERS, PER_WRITER = 24, 10


def _write_many(path: str, writer: int, barrier) -> list[int]:
    """One writer: PER_WRITER submissions as fast as it can, all writers starting at once."""
    places = checks.StorePlaces(path)
    checked = [
        checks.check_submission(form(naam=f"Schrijver {writer} bijdrage {i}"), places)[0] for i in range(PER_WRITER)
    ]
    barrier.wait()
    return [inbox.submit(submission, path) for submission in checked]


def _process_writer(arguments) -> list[int]:
    return _write_many(*arguments)


@pytest.mark.parametrize("kind", ["threads", "processes"])
def test_many_concurrent_writers_lose_nothing(store, kind):
    """24 writers send 10 submissions each, at the same moment, while a moderator
    approves and a reader reads: every submission is stored exactly once."""
    stop = threading.Event()
    approved: list[int] = []

    def moderate():
        while not stop.is_set():
            for number in inbox.read_queue(store, status=inbox.PENDING)["id"][:3]:
                inbox.approve(int(number), "Anna", store)
                approved.append(int(number))
            wstore.read_records(store)

    moderator = threading.Thread(target=moderate)
    started = time.perf_counter()
    if kind == "threads":
        barrier = threading.Barrier(WRITERS)
        results: dict[int, list[int]] = {}
        threads = [
            threading.Thread(target=lambda w=w: results.__setitem__(w, _write_many(str(store), w, barrier)))
            for w in range(WRITERS)
        ]
        moderator.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        numbers = [n for ids in results.values() for n in ids]
    else:
        context = multiprocessing.get_context("fork")
        barrier = context.Manager().Barrier(WRITERS)
        with context.Pool(WRITERS) as pool:
            moderator.start()
            numbers = [
                n for ids in pool.map(_process_writer, [(str(store), w, barrier) for w in range(WRITERS)]) for n in ids
            ]
    elapsed = time.perf_counter() - started
    stop.set()
    moderator.join()

    queue = inbox.read_queue(store)
    assert len(numbers) == len(set(numbers)) == WRITERS * PER_WRITER
    assert sorted(queue["id"]) == sorted(numbers)
    expected = {f"Schrijver {w} bijdrage {i}" for w in range(WRITERS) for i in range(PER_WRITER)}
    assert set(queue["naam"]) == expected
    published = wstore.read_records(store, bron=inbox.BRON)
    assert sorted(published["id"]) == sorted(inbox.record_id(n) for n in set(approved))
    if not is_postgres(store):
        with sqlite3.connect(store) as connection:
            assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    print(f"\n{kind}: {WRITERS} writers, {len(numbers)} submissions, {len(set(approved))} approved "
          f"meanwhile, {elapsed:.2f} s")  # fmt: skip


def test_a_rebuild_keeps_the_queue_the_log_and_every_submission_sent_meanwhile(store, places, small_store_path):
    """Submissions keep arriving while `build-data` rebuilds the store and swaps the file."""
    from wijkmap.data.build import build_store

    first = submitted(places, store, naam="Voor de herbouw")
    inbox.approve(first, "Anna", store)
    submission = checks.check_submission(form(naam="Tijdens de herbouw"), places)[0]
    numbers: list[int] = []
    done = threading.Event()

    def keep_sending():
        while not done.is_set():
            numbers.append(inbox.submit(submission, store))
            time.sleep(0.005)
        numbers.append(inbox.submit(submission, store))

    sender = threading.Thread(target=keep_sending)
    sender.start()
    try:
        build_store(store, gemeenten=SMALL_GEMEENTEN)
    finally:
        done.set()
        sender.join()

    queue = inbox.read_queue(store)
    assert sorted(queue["id"]) == sorted([first, *numbers])
    assert len(numbers) > 5
    assert list(inbox.read_log(store)["actie"]) == ["goedgekeurd"]
    assert inbox.record_id(first) in set(wstore.read_records(store)["id"])  # carried over as a non-bundled record
    assert numbers[-1] == max(queue["id"])  # the id counter went on where it was
    assert inbox.submit(submission, store) > numbers[-1]


def test_a_rebuild_over_a_broken_store_file_still_works(tmp_path):
    from wijkmap.data.build import build_store

    path = tmp_path / "wijkmap.gpkg"
    path.write_bytes(b"dit is geen database")
    build_store(path, gemeenten=["GM0344"])
    assert not wstore.read_records(path).empty


def test_exports_of_a_published_example_neutralise_spreadsheet_formulas(store, places):
    number = submitted(
        places, store, naam='=HYPERLINK("http://evil.example","klik")', omschrijving="@SUM(A1:A9) en verder niets"
    )
    inbox.approve(number, "Anna", store)
    data = export.export_records(wstore.read_records(store, bron=inbox.BRON), "csv").decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(data, newline=""), delimiter=";")
    assert row["naam"] == '\'=HYPERLINK("http://evil.example","klik")'
    assert row["omschrijving"] == "'@SUM(A1:A9) en verder niets"
    assert row["bron"] == "bijdrage" and row["voorbeeld"] == "nee"
