"""The recorded-response server the CBS and PDOK tests stand on answers what it holds, and only that."""

import requests


def test_recorded_server_answers_what_it_holds_and_remembers_the_rest(recorded_http):
    recorded_http.add("/a?x=1", '{"ok": 1}')
    assert requests.get(recorded_http.url + "/a?x=1", timeout=5).json() == {"ok": 1}
    assert requests.get(recorded_http.url + "/b", timeout=5).status_code == 404
    assert recorded_http.unanswered() == ["/b"]
