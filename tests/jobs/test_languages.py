"""A submission speaks its submitter's language (issue #14): DRS is asked in it (X-Language)
on every call made for it, DRS's error message is shown as DRS returned it, and the pages say
the statuses in the person's words."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from drsui.jobs.models import ActionRun, Attempt, Submission, portal_outcome, status_words
from drsui.jobs.services.refresh import _sends_interrupted, submissions_refresh_due

pytestmark = pytest.mark.django_db(transaction=True)

CJK = re.compile(r"[\u4e00-\u9fff]")
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en-US"}


@pytest.fixture
def drs_wire(in_process_sandbox, monkeypatch):
    """Every request that reached the sandbox, with its answer: [(request, response)]."""
    seen = []
    send = in_process_sandbox.send

    def recording(request, **kwargs):
        response = send(request, **kwargs)
        seen.append((request, response))
        return response

    monkeypatch.setattr(in_process_sandbox, "send", recording)
    return seen


def x_languages(wire, path_part: str = "") -> list[str]:
    return [request.headers.get("X-Language") for request, _ in wire if path_part in request.url]


def chinese(text) -> str:
    with translation.override("zh-hans"):
        return str(text)


def in_chinese(function, *args) -> str:
    """What `function` says with Chinese active (its words are chosen when it is called)."""
    with translation.override("zh-hans"):
        return function(*args)


def submit(client, user, draft, headers) -> Submission:
    client.force_login(user)
    answer = client.post(reverse("draft_step", args=[draft.pk, "review"]), **headers)
    assert answer.status_code == 302
    return Submission.objects.get(draft=draft)


def test_a_chinese_speaking_persons_submission_is_asked_of_drs_in_chinese(
        client, sandbox, drs_wire, make_draft, demo_user, settings):
    settings.DRSUI_SANDBOX = {**settings.DRSUI_SANDBOX, "CONFIGURATION_DELAY_SECONDS": 0}
    submission = submit(client, demo_user, make_draft(sandbox.project), ZH)
    assert (submission.language, submission.state) == ("zh-hans", "created")
    # The status refresh asks for it in the same language.
    Submission.objects.filter(pk=submission.pk).update(next_refresh_at=timezone.now())
    assert submissions_refresh_due() == 1

    assert x_languages(drs_wire, "/v3/auth/tokens") == ["zh-cn"]
    assert x_languages(drs_wire, "/v5/") == ["zh-cn", "zh-cn"]  # create, then get
    submission.refresh_from_db()
    assert submission.drs_status == "CONFIGURATION"


def test_an_english_speaking_persons_submission_is_asked_in_english(
        client, sandbox, drs_wire, make_draft, demo_user):
    submission = submit(client, demo_user, make_draft(sandbox.project), EN)
    assert (submission.language, submission.state) == ("en", "created")
    assert set(x_languages(drs_wire)) == {"en-us"}


def test_a_refusal_comes_back_in_chinese_and_the_portal_shows_it_as_drs_said_it(
        client, sandbox, drs_wire, make_draft, demo_user):
    taken = make_draft(sandbox.project)
    assert submit(client, demo_user, taken, EN).state == "created"
    draft = make_draft(sandbox.project, name=taken.name.upper())
    drs_wire.clear()

    submission = submit(client, demo_user, draft, ZH)
    assert submission.state == "failed" and submission.error_code == "DRS.M0027700"
    [(request, answer)] = [(q, a) for q, a in drs_wire if q.method == "POST" and "/v5/" in q.url]
    assert request.headers["X-Language"] == "zh-cn" and answer.status_code == 400
    said = answer.json()["error_msg"]
    assert CJK.search(said) and draft.name.upper() in said
    assert submission.error_msg == said
    assert submission.error_path == "base_info.name"  # its path is read from it all the same

    # Shown unchanged, whatever the language of the one who reads it.
    for headers in (ZH, EN):
        page = client.get(reverse("submission_detail", args=[submission.pk]), **headers).text
        assert f'<span id="drs-error-msg" class="text-break">{html.escape(said)}</span>' in page
        assert "DRS.M0027700" in page


def test_an_english_refusal_is_english(client, sandbox, make_draft, demo_user):
    taken = make_draft(sandbox.project)
    submit(client, demo_user, taken, EN)
    submission = submit(client, demo_user, make_draft(sandbox.project, name=taken.name.upper()),
                        EN)
    assert submission.error_msg.startswith("base_info.name: a task named ")
    assert not CJK.search(submission.error_msg)


def test_an_action_speaks_the_language_of_the_person_who_takes_it(
        client, sandbox, drs_wire, make_draft, demo_user, ops_user, settings):
    settings.DRSUI_SANDBOX = {**settings.DRSUI_SANDBOX, "CONFIGURATION_DELAY_SECONDS": 0}
    submission = submit(client, demo_user, make_draft(sandbox.project), ZH)
    Submission.objects.filter(pk=submission.pk).update(next_refresh_at=timezone.now())
    submissions_refresh_due()
    drs_wire.clear()

    client.force_login(ops_user)
    client.post(reverse("ops_submission_action", args=[submission.pk, "start"]), **EN)
    [run] = ActionRun.objects.filter(submission=submission)
    assert (run.language, run.state) == ("en", "done")
    assert x_languages(drs_wire, "/action") == ["en-us"]
    # A second start is refused by DRS (the job is no longer CONFIGURATION): in Chinese for
    # a Chinese-speaking person, as DRS said it.
    client.post(reverse("ops_submission_action", args=[submission.pk, "start"]), **ZH)
    refused = ActionRun.objects.filter(submission=submission).latest("pk")
    assert refused.language == "zh-hans" and refused.state == "failed"
    assert refused.error_code == "DRS.10000020" and CJK.search(refused.error_msg)
    assert x_languages(drs_wire, "/action") == ["en-us", "zh-cn"]


def test_the_portals_own_words_about_a_submission_are_in_its_language(seed):
    stale = timezone.now() - dt.timedelta(hours=1)
    english, chinese_one = seed(2, state="sending", drs_status="")
    Submission.objects.filter(pk=chinese_one.pk).update(language="zh-hans")
    Submission.objects.filter(pk__in=[english.pk, chinese_one.pk]).update(updated_at=stale)
    for row in (english, chinese_one):
        Attempt.objects.create(submission=row)

    _sends_interrupted(timezone.now())

    english.refresh_from_db(), chinese_one.refresh_from_db()
    assert english.state == chinese_one.state == "unknown"
    assert english.error_msg.startswith("The send was interrupted.")
    assert CJK.search(chinese_one.error_msg)
    assert CJK.search(chinese_one.attempts.get().detail)
    assert not CJK.search(english.attempts.get().detail)


# --- the pages in Chinese -------------------------------------------------------------------


@pytest.fixture
def ops_client(client, ops_user):
    client.force_login(ops_user)
    return client


def test_the_dashboard_says_statuses_and_outcomes_in_chinese(ops_client, seed):
    seed(1, drs_status="CONFIGURATION", name="configured")
    seed(1, state="failed", drs_status="", error_code="NOT_CREATED",
         error_msg="nothing was created", name="refused")

    page = ops_client.get(reverse("ops_dashboard"), **ZH).text
    configured = in_chinese(status_words, "CONFIGURATION")
    assert CJK.search(configured)
    assert (f'<span class="badge text-bg-primary" title="CONFIGURATION">{configured}</span>'
            in page)
    assert f'title="FAILED">{in_chinese(status_words, "FAILED")}</span>' in page
    assert f">{in_chinese(portal_outcome, 'NOT_CREATED')}</span>" in page
    assert f">{in_chinese(status_words, 'QUEUED')}</option>" in page  # the status filter's
    assert f'status=CONFIGURATION" title="CONFIGURATION">{configured} <span' in page  # a pill

    english = ops_client.get(reverse("ops_dashboard"), **EN).text
    assert '<span class="badge text-bg-primary">CONFIGURATION</span>' in english
    assert ">Not created at DRS</span>" in english
    assert ">Any status</option>" in english and not CJK.search(english.split("<main")[-1])


def test_the_kept_filter_form_is_kept_per_language(ops_client, seed):
    seed(1)
    with translation.override("zh-hans"):
        any_status, filter_button = gettext("Any status"), gettext("Filter")
    assert CJK.search(any_status) and CJK.search(filter_button)
    for _ in range(2):  # the second time from the cache
        english = ops_client.get(reverse("ops_dashboard"), **EN).text
        assert ">Any status</option>" in english and ">Filter</button>" in english
        zh = ops_client.get(reverse("ops_dashboard"), **ZH).text
        assert ">Any status</option>" not in zh
        assert f">{any_status}</option>" in zh and f">{filter_button}</button>" in zh


def test_the_submission_page_says_its_status_words_in_chinese(client, seed, demo_user):
    [queued] = seed(1, state="queued", drs_status="")
    [failed] = seed(1, state="failed", drs_status="", error_code="DRS.10000001",
                    error_msg="base_info.name: 名称不合法。")
    Attempt.objects.create(submission=failed, outcome=Attempt.Outcome.REFUSED,
                           error_code="DRS.10000001", error_msg=failed.error_msg)
    client.force_login(demo_user)

    queued_page = client.get(reverse("submission_detail", args=[queued.pk]), **ZH).text
    assert chinese(Submission.State.QUEUED.label) in queued_page
    failed_page = client.get(reverse("submission_detail", args=[failed.pk]), **ZH).text
    assert chinese(Attempt.Outcome.REFUSED.label) in failed_page
    assert "base_info.name: 名称不合法。" in failed_page  # DRS's message as it is

    english = client.get(reverse("submission_detail", args=[failed.pk]), **EN).text
    assert "Refused by DRS" in english and chinese(Attempt.Outcome.REFUSED.label) not in english

    [created] = seed(1, drs_status="CONFIGURATION")
    created_page = client.get(reverse("submission_detail", args=[created.pk]), **ZH).text
    configured = in_chinese(status_words, "CONFIGURATION")
    assert f'id="drs-status" title="CONFIGURATION">{configured}</span>' in created_page
    assert f'id="submission-state" title="CONFIGURATION">{configured}</span>' in created_page


def test_the_admins_list_of_submissions_is_in_chinese(client, seed, django_user_model):
    seed(1)
    client.force_login(django_user_model.objects.create_superuser("root", password="root-pass-1"))
    url = reverse("admin:jobs_submission_changelist")
    with translation.override("zh-hans"):
        heading, column = gettext("drs status"), gettext("engine type")
    assert CJK.search(heading) and CJK.search(column)

    page = client.get(url, **ZH).text
    assert heading in page and column in page
    english = client.get(url, **EN).text
    assert "Drs status" in english and heading not in english


def test_the_audit_trail_reads_in_each_readers_language(ops_client, make_draft, sandbox,
                                                        demo_user):
    from django.test import Client

    from drsui.jobs.services.submit import submission_create

    with translation.override("en"):  # an English-speaking person submits and copies
        submission = submission_create(draft=make_draft(sandbox.project, name="audit-task"),
                                       user=demo_user)
    person = Client()
    person.force_login(demo_user)
    person.post(reverse("submission_clone", args=[submission.pk]), **EN)

    def details(headers) -> str:
        page = ops_client.get(reverse("ops_audit"), **headers).text
        return " ".join(html.unescape(td) for td in re.findall(
            r'<td class="small text-break">(.*?)</td>', page, re.S))

    english, chinese = details(EN), details(ZH)
    assert f"audit-task to {sandbox.project.name}" in english
    assert f"(a copy of submission {submission.pk})" in english
    with translation.override("zh-hans"):
        said = gettext("%(name)s to %(project)s") % {
            "name": "audit-task", "project": sandbox.project.name}
        copied = gettext("a copy of submission %(id)s") % {"id": submission.pk}
    assert CJK.search(said) and said in chinese and f"({copied})" in chinese
    assert "a copy of submission" not in chinese
