"""Sending a wave over HTTP to the sandbox: every valid row once, rows with problems skipped,
the approval policy, a retry of the failed rows, and the progress the wave page polls."""

import csv
import io
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from drsui import contract as c
from drsui.audit.models import AuditEvent
from drsui.contract import rows as wave_rows
from drsui.jobs.models import Submission
from drsui.jobs.services.waves import wave_retry_failed, wave_send
from drsui.jobs.wave_selectors import wave_progress
from drsui.sandbox.faults import clear_faults, set_faults
from drsui.waves.services import wave_create, wave_rows_save
from drsui.wizard.services import draft_from_body
from tests.contract.bodies import example_body

pytestmark = pytest.mark.django_db(transaction=True)

SOURCE = "source_endpoint.0.endpoint"
TARGET = "target_endpoint.0.endpoint"
DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def _row(n, **cells):
    row = {"base_info.name": f"wave-send-{n:02d}", f"{SOURCE}.ip": f"10.0.0.{n}",
           f"{SOURCE}.db_port": "1521", f"{SOURCE}.db_user": "ORACLE_USER",
           f"{SOURCE}.db_password": f"pw-{n}", f"{TARGET}.instance_id": f"{n:02d}" * 16}
    row.update(cells)
    return row


def make_wave(project, owner, rows):
    body = example_body(0)
    body["job"]["source_endpoint"][0]["endpoint"]["db_password"] = "template-src-pw"
    body["job"]["target_endpoint"][0]["endpoint"]["db_password"] = "target-pw"
    template = draft_from_body(owner=owner, body=body, project=project)
    wave = wave_create(owner=owner, template=template)
    wave_rows_save(wave=wave, rows=rows)
    return wave


@pytest.fixture
def five_rows():
    """Five rows, the 2nd and 4th with a port that is no number (R-28)."""
    return [_row(n, **({f"{SOURCE}.db_port": "port"} if n in (2, 4) else {}))
            for n in range(1, 6)]


def _names_at_drs(sandbox):
    return sorted(job["name"] for job in sandbox.jobs() if job["name"].startswith("wave-send"))


def test_a_wave_sends_its_valid_rows_once_and_skips_those_with_problems(
        client, live_sandbox, demo_user, five_rows):
    sandbox = live_sandbox  # DRS over a socket, as in use
    wave = make_wave(sandbox.project, demo_user, five_rows)
    client.force_login(demo_user)
    answer = client.post(reverse("wave_send", args=[wave.pk]), follow=True)
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "3 rows sent." in page and "2 rows with problems were not sent" in page
    assert _names_at_drs(sandbox) == ["wave-send-01", "wave-send-03", "wave-send-05"]
    assert Submission.objects.filter(state="created").count() == 3
    [event] = AuditEvent.objects.filter(action="wave_send")
    assert "3 sent" in event.detail and "2 with problems skipped" in event.detail
    assert "pw-" not in event.detail

    again = client.post(reverse("wave_send", args=[wave.pk]), follow=True).content.decode()
    assert "Nothing new to send" in again
    assert Submission.objects.count() == 3
    assert _names_at_drs(sandbox) == ["wave-send-01", "wave-send-03", "wave-send-05"]


def test_a_wave_is_not_stopped_by_the_per_person_submit_limit(
        sandbox, demo_user, settings):
    settings.DRSUI_SUBMITS_PER_MINUTE = 2
    wave = make_wave(sandbox.project, demo_user, [_row(n) for n in range(1, 6)])
    assert wave_send(wave=wave, user=demo_user).sent == 5
    assert len(_names_at_drs(sandbox)) == 5


def test_wave_sends_themselves_are_limited_per_minute(sandbox, demo_user, settings):
    settings.DRSUI_WAVE_SENDS_PER_MINUTE = 1
    wave = make_wave(sandbox.project, demo_user, [_row(1)])
    wave_send(wave=wave, user=demo_user)
    from drsui.errors import ApplicationError

    with pytest.raises(ApplicationError, match="at most 1 wave send a minute"):
        wave_send(wave=wave, user=demo_user)


@pytest.mark.approval_policy
def test_under_an_approval_policy_the_rows_wait_for_approval(
        client, sandbox, demo_user, five_rows):
    wave = make_wave(sandbox.project, demo_user, five_rows)
    sent = wave_send(wave=wave, user=demo_user)
    assert (sent.sent, sent.awaiting, sent.skipped) == (3, 3, 2)
    assert set(Submission.objects.values_list("state", flat=True)) == {"awaiting_approval"}
    assert _names_at_drs(sandbox) == []
    progress = wave_progress(wave)
    assert (progress.counts["awaiting"], progress.counts["not_sent"]) == (3, 2)
    assert not progress.in_flight  # awaiting a person: nothing to poll for


def test_a_row_failing_at_drs_is_retried_in_one_action(client, sandbox, demo_user):
    wave = make_wave(sandbox.project, demo_user, [_row(n) for n in range(1, 4)])
    set_faults(error_rate=1, scope="create")
    wave_send(wave=wave, user=demo_user)
    progress = wave_progress(wave)
    assert progress.counts["failed"] == 3 and progress.retryable == 3
    client.force_login(demo_user)
    partial = client.get(reverse("wave_progress", args=[wave.pk]), headers={"HX-Request": "true"})
    assert 'id="wave-retry"' in partial.content.decode()

    clear_faults()
    answer = client.post(reverse("wave_retry", args=[wave.pk]), headers={"HX-Request": "true"})
    text = answer.content.decode()
    assert "3 failed rows sent again." in text
    assert _names_at_drs(sandbox) == ["wave-send-01", "wave-send-02", "wave-send-03"]
    assert Submission.objects.filter(state="created", retry_of__isnull=False).count() == 3
    assert 'id="wave-retry"' not in text
    assert wave_progress(wave).counts["created"] == 3


def test_an_unknown_outcome_is_looked_up_by_name_on_retry(sandbox, demo_user):
    wave = make_wave(sandbox.project, demo_user, [_row(1)])
    wave_send(wave=wave, user=demo_user)
    submission = Submission.objects.get()
    Submission.objects.filter(pk=submission.pk).update(state="unknown", error_code="UNKNOWN")
    retried = wave_retry_failed(wave=wave, user=demo_user)
    assert (retried.looked_up, retried.retried) == (1, 0)
    submission.refresh_from_db()
    assert submission.state == "created" and Submission.objects.count() == 1
    assert _names_at_drs(sandbox) == ["wave-send-01"]


def test_the_partial_polls_only_while_a_row_is_in_flight(client, sandbox, demo_user, settings):
    wave = make_wave(sandbox.project, demo_user, [_row(1), _row(2)])
    client.force_login(demo_user)
    url = reverse("wave_progress", args=[wave.pk])
    before = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "every 2s" not in before
    assert "Send the wave (2 rows)" in before and 'id="wave-send" disabled' not in before

    settings.TASKS = DUMMY_TASKS  # queued, not sent: in flight
    client.post(reverse("wave_send", args=[wave.pk]), headers={"HX-Request": "true"})
    sending = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in sending
    assert re.search(r'data-count="in_flight">[^<]*<strong>2<', sending)
    assert 'id="wave-send" disabled' in sending

    Submission.objects.update(state="created", drs_job_id="job-1", drs_status="CONFIGURATION")
    done = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "every 2s" not in done
    assert re.search(r'data-count="created">[^<]*<strong>2<', done)
    assert "Nothing to send" in done


def test_without_javascript_a_send_goes_back_to_the_wave_with_a_message(
        client, sandbox, demo_user):
    wave = make_wave(sandbox.project, demo_user, [_row(1)])
    client.force_login(demo_user)
    answer = client.post(reverse("wave_send", args=[wave.pk]))
    assert answer.status_code == 302
    page = client.get(answer.url).content.decode()
    assert "1 row sent." in page and 'id="wave-progress"' in page


def test_another_persons_wave_is_404_and_ops_may_look_but_not_send(
        client, sandbox, demo_user, other_user, ops_user):
    wave = make_wave(sandbox.project, demo_user, [_row(1)])
    client.force_login(other_user)
    for name in ("wave_progress", "wave_send", "wave_retry"):
        method = client.get if name == "wave_progress" else client.post
        assert method(reverse(name, args=[wave.pk])).status_code == 404
    client.force_login(ops_user)
    page = client.get(reverse("wave_progress", args=[wave.pk]),
                      headers={"HX-Request": "true"}).content.decode()
    assert "owner can send it." in page
    answer = client.post(reverse("wave_send", args=[wave.pk]), headers={"HX-Request": "true"})
    assert "owner can send it." in answer.content.decode()
    assert Submission.objects.count() == 0


def _send_retrying(wave_pk, user, results, barrier):
    """wave_send from another thread; the suite's in-memory SQLite answers a concurrent writer
    "locked" at once where PostgreSQL waits: the whole send is tried again, as a second click
    would."""
    from django.db import OperationalError, connections

    from drsui.waves.models import Wave

    try:
        barrier.wait()
        for _ in range(200):
            try:
                results.append(wave_send(wave=Wave.objects.get(pk=wave_pk), user=user))
                return
            except OperationalError as exc:
                if "locked" not in str(exc):
                    raise
                time.sleep(0.02)
        results.append("gave up")
    except Exception as exc:  # noqa: BLE001 (reported by the assertion)
        results.append(repr(exc))
    finally:
        connections.close_all()


def test_two_sends_at_once_make_each_rows_job_once(sandbox, demo_user, settings):
    import threading

    from drsui.jobs.services.submit import submission_send

    settings.TASKS = DUMMY_TASKS  # queue only; each queued send runs below
    rows = [_row(n) for n in range(1, 9)]
    wave = make_wave(sandbox.project, demo_user, rows)
    results, barrier = [], threading.Barrier(2)
    threads = [threading.Thread(target=_send_retrying,
                                args=(wave.pk, demo_user, results, barrier)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 2 and all(not isinstance(r, str) for r in results), results
    # (What each send counts is not asserted: on SQLite a send tried again may find what its
    # own first try committed.)
    assert Submission.objects.count() == 8
    for submission in Submission.objects.all():
        submission_send.call(submission.pk)
    assert _names_at_drs(sandbox) == [row["base_info.name"] for row in rows]


def test_the_dashboard_filters_by_wave_links_each_wave_and_exports_it(
        client, project, demo_user, ops_user, make_draft, settings):
    import csv
    import io

    from drsui.jobs.services.submit import submission_create

    settings.TASKS = DUMMY_TASKS  # queued is enough: nothing is sent
    first = make_wave(project, demo_user, [_row(1), _row(2)])
    second = make_wave(project, demo_user, [_row(3)])
    second.name = "second <wave>"
    second.save()
    for wave in (first, second):
        wave_send(wave=wave, user=demo_user)
    alone = submission_create(draft=make_draft(project, name="not-in-a-wave"), user=demo_user)
    client.force_login(ops_user)

    page = client.get(reverse("ops_dashboard")).content.decode()
    options = re.search(r'<select [^>]*name="wave"[^>]*>(.*?)</select>', page).group(1)
    assert f'<option value="{second.pk}">second &lt;wave&gt;</option>' in options
    assert f'value="{first.pk}"' in options
    row = re.search(rf'<tr data-id="{alone.pk}">.*?</tr>', page).group(0)
    assert "/waves/" not in row  # no wave: an empty cell

    filtered = client.get(reverse("ops_dashboard"), {"wave": second.pk}).content.decode()
    assert "wave-send-03" in filtered and "wave-send-01" not in filtered
    assert "not-in-a-wave" not in filtered
    assert re.search(rf'<a href="/waves/{second.pk}/[^"]*">second &lt;wave&gt;</a>', filtered)

    export = client.get(reverse("ops_dashboard_csv"), {"wave": first.pk})
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert sorted((r["name"], r["wave"]) for r in rows) == [
        ("wave-send-01", first.name), ("wave-send-02", first.name)]
    everything = b"".join(client.get(reverse("ops_dashboard_csv")).streaming_content).decode()
    assert {r["name"]: r["wave"] for r in csv.DictReader(io.StringIO(everything))}[
        "not-in-a-wave"] == ""


def test_the_progress_speaks_chinese(client, sandbox, demo_user):
    wave = make_wave(sandbox.project, demo_user, [_row(1), _row(2, **{f"{SOURCE}.db_port": "x"})])
    client.force_login(demo_user)
    answer = client.post(reverse("wave_send", args=[wave.pk]), headers={
        "HX-Request": "true", "Accept-Language": "zh-CN"}).content.decode()
    assert "已发送1行。" in answer and "1行有问题，未发送" in answer
    assert re.search(r'data-count="created">已创建 <strong>1<', answer)


def test_a_project_revoked_after_the_wave_began_refuses_the_send_with_a_message(
        client, sandbox, demo_user):
    wave = make_wave(sandbox.project, demo_user, [_row(1), _row(2)])
    sandbox.project.groups.clear()
    client.force_login(demo_user)
    text = client.post(reverse("wave_send", args=[wave.pk]),
                       headers={"HX-Request": "true"}).content.decode()
    assert "This wave&#x27;s cloud project is not granted to your teams" in text
    assert "nothing was sent" in text
    assert Submission.objects.count() == 0 and _names_at_drs(sandbox) == []


def test_a_submitted_row_cannot_be_deleted_from_the_grid(client, sandbox, demo_user):
    wave = make_wave(sandbox.project, demo_user, [_row(1)])
    wave_send(wave=wave, user=demo_user)
    row = wave.rows.get()
    client.force_login(demo_user)
    page = client.post(reverse("wave_detail", args=[wave.pk]), {"delete_row": row.pk},
                       follow=True).content.decode()
    assert "submitted draft is kept with its submission" in page
    assert wave.rows.filter(pk=row.pk).exists()


@pytest.mark.approval_policy
@pytest.mark.parametrize("column", [f"{SOURCE}.ip", f"{SOURCE}.db_password"])
def test_a_sent_row_is_read_only_in_the_grid_and_a_file_as_in_the_wizard(
        client, sandbox, demo_user, column):
    """A row awaiting approval (or queued, sent...) is not changed by the grid nor by a file
    uploaded again, as the wizard does not change a submitted draft: what is approved is what
    is sent."""
    wave = make_wave(sandbox.project, demo_user, [_row(1), _row(2, **{
        f"{SOURCE}.db_port": "port"})])
    wave_send(wave=wave, user=demo_user)
    sent, unsent = wave.rows.order_by("position")
    version = sent.draft.version
    client.force_login(demo_user)
    page = client.get(reverse("wave_detail", args=[wave.pk])).content.decode()
    assert page.count("sent: read-only") == 1
    cell = f"c-{sent.pk}-{wave.paths.index(column)}"
    assert " disabled" in page[page.index(f'name="{cell}"'):].split(">")[0]
    row = client.post(reverse("wave_row", args=[wave.pk, sent.pk]), {cell: "10.9.9.9"},
                      headers={"HX-Request": "true"}).content.decode()
    assert "1 row is sent (or awaits approval): it is not changed" in row
    upload = client.post(reverse("wave_upload", args=[wave.pk]), {"file": SimpleUploadedFile(
        "rows.csv", _csv(wave.paths, [_row(1, **{column: "10.9.9.9"}), _row(2)]))},
        follow=True).content.decode()
    assert "Rows added: 0; rows updated: 1." in upload
    assert "1 row is sent (or awaits approval)" in upload
    sent.draft.refresh_from_db()
    assert sent.draft.version == version
    assert c.get_path(sent.draft.job, f"{SOURCE}.ip") == "10.0.0.1"
    assert sent.draft.secrets()[f"{SOURCE}.db_password"] == "pw-1"
    unsent.draft.refresh_from_db()
    assert c.get_path(unsent.draft.job, f"{SOURCE}.db_port") == "1521"  # the other: fixed


def _row_changed(draft, column):
    """A row's draft changed as a wave changes one (draft_set_job)."""
    from drsui.wizard.services import draft_set_job

    job, secrets = wave_rows.row_apply(draft.job, draft.secrets(), {column: "10.9.9.9"})
    draft_set_job(draft=draft, job=job, secrets=secrets)


@pytest.mark.approval_policy
@pytest.mark.parametrize("column", [f"{SOURCE}.ip", f"{SOURCE}.db_password"])
def test_a_draft_changed_after_approval_is_said_and_refused_at_send(
        client, sandbox, demo_user, ops_user, settings, column):
    """#15 holds for a change by draft_set_job (a wave row's way): the submission's page says
    so, and the send fails CHANGED with nothing sent."""
    from drsui.jobs.services.approvals import submission_transition
    from drsui.jobs.services.submit import submission_send

    settings.TASKS = DUMMY_TASKS
    wave = make_wave(sandbox.project, demo_user, [_row(1)])
    wave_send(wave=wave, user=demo_user)
    submission = Submission.objects.get()
    submission_transition(submission_id=submission.pk, action="approve", actor=ops_user)
    _row_changed(submission.draft, column)
    client.force_login(demo_user)
    page = client.get(reverse("submission_detail", args=[submission.pk])).content.decode()
    assert 'id="approval-changed"' in page
    submission_send.call(submission.pk)
    submission.refresh_from_db()
    assert (submission.state, submission.error_code) == ("failed", "CHANGED")
    assert _names_at_drs(sandbox) == []


@pytest.mark.approval_policy
def test_a_draft_changed_while_awaiting_approval_cannot_be_approved(
        sandbox, demo_user, ops_user):
    """Approving it would only fail at send (CHANGED): refused, and said, at once."""
    from drsui.errors import ApplicationError
    from drsui.jobs.services.approvals import submission_transition

    wave = make_wave(sandbox.project, demo_user, [_row(1)])
    wave_send(wave=wave, user=demo_user)
    submission = Submission.objects.get()
    _row_changed(submission.draft, f"{SOURCE}.ip")
    with pytest.raises(ApplicationError, match="changed after it was requested"):
        submission_transition(submission_id=submission.pk, action="approve", actor=ops_user)
    assert Submission.objects.get().state == "awaiting_approval"


def _csv(columns, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([[row.get(column, "") for column in columns] for row in rows])
    return out.getvalue().encode()
