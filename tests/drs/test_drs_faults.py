import socket

import pytest
import requests
import urllib3
from drs_helpers import job_body, scripted_client

from drsui.drs import DrsUnavailable, StaticToken
from drsui.sandbox.faults import set_faults


@pytest.fixture
def closed_port_url():
    """http://127.0.0.1:<port> where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_latency_below_the_read_timeout_only_slows_things_down(make_client, clock):
    set_faults(latency_ms=300)
    client = make_client(read_timeout=2)

    started = clock.now()
    job = client.create_job(job_body())

    assert job["status"] == "CREATING"
    assert (clock.now() - started).total_seconds() == pytest.approx(0.6)  # IAM and DRS: 300 ms


def test_a_hang_past_the_read_timeout_is_sent_outcome_unknown(make_client):
    set_faults(hang_seconds=2, scope="create")
    client = make_client(read_timeout=0.5)

    with pytest.raises(DrsUnavailable) as caught:
        client.create_job(job_body())

    assert caught.value.sent is True
    # The sandbox created the job before hanging: exactly why a create must not be repeated.
    assert [job["name"] for job in client.list_jobs()["jobs"]] == ["DRS-1234"]


def test_a_500_on_create_is_sent_outcome_unknown_and_not_repeated(make_client, request_log):
    set_faults(error_rate=1)
    client = make_client()

    with pytest.raises(DrsUnavailable) as caught:
        client.create_job(job_body())

    assert (caught.value.sent, caught.value.status) == (True, 500)
    assert request_log.count("/jobs") == 1


def test_a_malformed_reply_is_sent_outcome_unknown(make_client):
    set_faults(malformed_rate=1, scope="create")

    with pytest.raises(DrsUnavailable) as caught:
        make_client().create_job(job_body())

    assert caught.value.sent is True


def test_a_closed_drs_port_is_never_sent(make_client, closed_port_url):
    client = make_client(drs_endpoint=closed_port_url, credentials=StaticToken("t"))

    with pytest.raises(DrsUnavailable) as caught:
        client.create_job(job_body())

    assert caught.value.sent is False


def test_an_unreachable_iam_means_the_create_was_never_sent(make_client, closed_port_url):
    with pytest.raises(DrsUnavailable) as caught:
        make_client(iam_endpoint=closed_port_url).create_job(job_body())

    assert caught.value.sent is False


def refused_connection():
    reason = urllib3.exceptions.NewConnectionError(None, "Connection refused")
    return requests.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/", reason))


def test_a_get_that_was_never_sent_is_tried_once_more():
    client, adapter = scripted_client(refused_connection(), (200, {"job": {"id": "j1"}}))

    assert client.get_job("j1") == {"id": "j1"}
    assert len(adapter.sent) == 2


def test_a_get_is_tried_at_most_twice():
    client, adapter = scripted_client(refused_connection(), requests.ConnectTimeout())

    with pytest.raises(DrsUnavailable) as caught:
        client.list_jobs()

    assert caught.value.sent is False
    assert len(adapter.sent) == 2


@pytest.mark.parametrize(
    ("failure", "sent"),
    [
        (requests.ReadTimeout(), True),
        (requests.ConnectionError("Connection aborted."), True),
        (refused_connection(), False),
    ],
)
def test_posts_are_never_repeated(failure, sent):
    client, adapter = scripted_client(failure)

    with pytest.raises(DrsUnavailable) as caught:
        client.job_action("j1", "start")

    assert caught.value.sent is sent
    assert len(adapter.sent) == 1


def test_a_get_that_may_have_been_answered_is_not_repeated():
    client, adapter = scripted_client(requests.ReadTimeout())

    with pytest.raises(DrsUnavailable) as caught:
        client.get_job("j1")

    assert caught.value.sent is True
    assert len(adapter.sent) == 1
