"""The ops dashboard over Django's test client: roles URL by URL, filters, counts, sorting,
pages, CSV, the audit trail, and a list whose queries do not grow with its rows."""

import csv
import datetime as dt
import html
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from drsui.audit.models import AuditEvent
from drsui.jobs.models import ActionRun, Submission
from drsui.jobs.services.submit import submission_retry
from drsui.wizard.services import draft_create
from tests.contract.bodies import SECRET_VALUES

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(django_user_model, demo_user, other_user, ops_user):
    root = django_user_model.objects.create_superuser("root", password="root-pass-1")
    return {"anonymous": None, "portal": demo_user, "ops": ops_user, "superuser": root}


@pytest.fixture
def mine_and_theirs(seed, other_user):
    [mine] = seed(1, state="failed", error_code="NOT_CREATED", drs_status="")
    [theirs] = seed(1, user=other_user, name="theirs")
    return mine, theirs


LOGIN = "login"
# (method, url name or callable, expected for anonymous / portal user / ops / superuser)
ROLE_TABLE = [
    ("get", "ops_dashboard", (LOGIN, 403, 200, 200)),
    ("get", "ops_dashboard_csv", (LOGIN, 403, 200, 200)),
    ("get", "ops_audit", (LOGIN, 403, 200, 200)),
    ("post", "retry:mine", (LOGIN, 403, 302, 302)),
    ("post", "action:theirs:network", (LOGIN, 403, 302, 302)),
    ("post", "action:theirs:precheck", (LOGIN, 403, 302, 302)),
    ("post", "action:theirs:start", (LOGIN, 403, 302, 302)),
    ("get", "detail:mine", (LOGIN, 200, 200, 200)),
    ("get", "detail:theirs", (LOGIN, 404, 200, 200)),
    ("get", "clone:theirs", (LOGIN, 405, 405, 405)),
    ("post", "clone:theirs", (LOGIN, 404, 302, 302)),
    ("get", "export:theirs", (LOGIN, 404, 200, 200)),
    ("get", "admin:wizard_cloudproject_changelist", ("admin", "admin", "admin", 200)),
    ("get", "admin:jobs_submission_changelist", ("admin", "admin", "admin", 200)),
]


def _url(spec, mine, theirs):
    kind, _, rest = spec.partition(":")
    target = {"mine": mine, "theirs": theirs}
    if kind == "retry":
        return reverse("ops_submission_retry", args=[target[rest].pk])
    if kind == "action":
        which, action = rest.split(":")
        return reverse("ops_submission_action", args=[target[which].pk, action])
    if kind == "detail":
        return reverse("submission_detail", args=[target[rest].pk])
    if kind == "clone":
        return reverse("submission_clone", args=[target[rest].pk])
    if kind == "export":
        return reverse("submission_export", args=[target[rest].pk])
    return reverse(spec)


@pytest.mark.parametrize("method,spec,expected", ROLE_TABLE,
                         ids=[f"{m} {s}" for m, s, _ in ROLE_TABLE])
@pytest.mark.parametrize("role", ["anonymous", "portal", "ops", "superuser"])
def test_each_url_enforces_its_roles(client, people, mine_and_theirs, method, spec, expected,
                                     role):
    mine, theirs = mine_and_theirs
    if people[role]:
        client.force_login(people[role])
    want = expected[["anonymous", "portal", "ops", "superuser"].index(role)]
    response = getattr(client, method)(_url(spec, mine, theirs))
    if want == LOGIN:
        assert response.status_code == 302 and response.url.startswith("/login/")
    elif want == "admin":
        assert response.status_code == 302 and response.url.startswith("/admin/login/")
    else:
        assert response.status_code == want
    if role in ("anonymous", "portal"):  # nothing happened on their behalf
        assert not ActionRun.objects.exists()
        assert not AuditEvent.objects.filter(action__in=["retry", "action"]).exists()


def test_post_only_urls_refuse_get(client, ops_user, mine_and_theirs):
    mine, _ = mine_and_theirs
    client.force_login(ops_user)
    assert client.get(reverse("ops_submission_retry", args=[mine.pk])).status_code == 405


@pytest.mark.parametrize("who, shown", [("portal", False), ("ops", True), ("superuser", True)])
def test_the_dashboard_link_is_in_the_nav_for_ops_only(client, people, project, who, shown):
    client.force_login(people[who])
    own_draft = draft_create(owner=people[who], project=project)
    # The draft list asks the groups; a wizard step reads it with the draft.
    for url in (reverse("draft_list"), reverse("draft_step", args=[own_draft.pk, "base"])):
        assert ('href="/ops/">Dashboard</a>' in client.get(url).text) is shown, url


def dashboard(client, **params):
    response = client.get(reverse("ops_dashboard"), params)
    assert response.status_code == 200
    return response


def names(response):
    return [row["name"] for row in response.context["rows"]]


@pytest.fixture
def ops_client(client, ops_user):
    client.force_login(ops_user)
    return client


@pytest.fixture
def variety(seed, other_user, project):
    from drsui.wizard.models import CloudProject

    second = CloudProject.objects.create(
        name="Second", region="eu-west-101", project_id="0" * 32,
        drs_endpoint="http://127.0.0.1:9", iam_endpoint="http://127.0.0.1:9")
    rows = {
        "configured": seed(3, name="alpha"),
        "failed": seed(2, name="beta", state="failed", drs_status="", drs_job_id="",
                       error_code="DRS.10000001", error_msg="=cmd|' /C calc'!A0"),
        "queued": seed(1, name="gamma", state="queued", drs_status="", drs_job_id=""),
        "mysql": seed(2, name="delta", engine_type="mysql-to-mysql",
                      drs_status="INCRE_TRANSFER_STARTED", user=other_user, project=second),
    }
    old = timezone.now() - dt.timedelta(days=10)
    Submission.objects.filter(name__startswith="alpha").update(created_at=old)
    return rows


def test_the_list_shows_every_submission_newest_first(ops_client, variety):
    response = dashboard(ops_client)
    assert response.context["page"].paginator.count == 8
    assert names(response)[-3:] == ["alpha-00001", "alpha-00002", "alpha-00003"][::-1] or \
        all(n.startswith("alpha") for n in names(response)[-3:])
    page = response.text
    assert "badge text-bg-danger\">FAILED" in page
    assert "badge text-bg-success\">INCRE_TRANSFER_STARTED" in page
    assert "badge text-bg-primary\">CONFIGURATION" in page


@pytest.mark.parametrize("params,expected", [
    ({"status": "FAILED"}, {"beta"}),
    ({"status": "QUEUED"}, {"gamma"}),
    ({"status": "CONFIGURATION"}, {"alpha"}),
    ({"engine": "mysql-to-mysql"}, {"delta"}),
    ({"q": "gam"}, {"gamma"}),
    ({"q": "BETA-0000"}, {"beta"}),
], ids=lambda v: str(v))
def test_filters(ops_client, variety, params, expected):
    assert {n.split("-")[0] for n in names(dashboard(ops_client, **params))} == expected


def test_filter_by_project_user_dates_and_job_id(ops_client, variety, other_user):
    delta = variety["mysql"][0]
    assert {n.split("-")[0] for n in names(dashboard(ops_client, project=delta.project_id))} \
        == {"delta"}
    assert {n.split("-")[0] for n in names(dashboard(ops_client, user=other_user.pk))} \
        == {"delta"}
    today = timezone.localdate()
    recent = names(dashboard(ops_client, date_from=(today - dt.timedelta(days=1)).isoformat()))
    assert len(recent) == 5 and not any(n.startswith("alpha") for n in recent)
    older = names(dashboard(ops_client, date_to=(today - dt.timedelta(days=9)).isoformat()))
    assert {n.split("-")[0] for n in older} == {"alpha"}
    job_id = variety["configured"][1].drs_job_id
    assert names(dashboard(ops_client, q=job_id)) == [variety["configured"][1].name]


def test_the_filters_show_what_is_filtered_on_escaped(ops_client, variety, other_user):
    other_user.username = 'bob<b>"'
    other_user.save()
    page = dashboard(ops_client, status="FAILED", user=other_user.pk, q="gam").text
    assert re.search(r'<option value="FAILED" selected>FAILED</option>', page)
    assert f'<option value="{other_user.pk}" selected>bob&lt;b&gt;&quot;</option>' in page
    assert re.search(r'<input type="search" name="q" value="gam"[^>]*id="f-q"', page)
    assert "bob<b>" not in page


def test_invalid_filters_are_ignored_and_said_so(ops_client, variety):
    response = dashboard(ops_client, date_from="yesterday", status="NOPE")
    assert response.context["page"].paginator.count == 8
    assert "Ignored:" in response.text


def test_counts_per_status_follow_the_other_filters_not_the_status(ops_client, variety):
    counts = {c["status"]: c["n"] for c in dashboard(ops_client, status="FAILED")
              .context["counts"]}
    assert counts == {"QUEUED": 1, "FAILED": 2, "CONFIGURATION": 3, "INCRE_TRANSFER_STARTED": 2}
    counts = {c["status"]: c["n"] for c in dashboard(ops_client, engine="mysql-to-mysql")
              .context["counts"]}
    assert counts == {"INCRE_TRANSFER_STARTED": 2}


def test_sorting(ops_client, variety):
    by_name = names(dashboard(ops_client, sort="name"))
    assert by_name == sorted(by_name)
    assert names(dashboard(ops_client, sort="-name")) == sorted(by_name, reverse=True)
    by_status = dashboard(ops_client, sort="status").context["rows"]
    states = [row["state"] for row in by_status]
    assert states == sorted(states)
    oldest_first = names(dashboard(ops_client, sort="created"))
    assert all(n.startswith("alpha") for n in oldest_first[:3])


def test_pages_of_fifty(ops_client, seed):
    seed(60)
    first = dashboard(ops_client)
    assert len(first.context["rows"]) == 50 and "page=2" in first.text
    second = dashboard(ops_client, page=2)
    assert len(second.context["rows"]) == 10
    assert not set(names(first)) & set(names(second))


def test_the_table_updates_itself(ops_client, variety):
    poll = ops_client.get(reverse("ops_dashboard"), {"status": "FAILED"},
                          headers={"HX-Request": "true"})
    assert "<html" not in poll.text and 'id="ops-table"' in poll.text
    assert 'hx-trigger="every 5s"' in poll.text and "status=FAILED" in poll.text
    assert len(poll.context["rows"]) == 2


@pytest.mark.parametrize("rows", [5, 50])
def test_the_list_queries_do_not_grow_with_its_rows(ops_client, seed, other_user, rows,
                                                    django_assert_max_num_queries):
    seed(rows // 2)
    seed(rows - rows // 2, user=other_user, state="failed", drs_status="", drs_job_id="")
    ops_client.get(reverse("ops_dashboard"))  # the session and the filter choices are warm
    # One of them the page's waves (with_waves).
    with django_assert_max_num_queries(6):
        response = ops_client.get(reverse("ops_dashboard"))
    assert len(response.context["rows"]) == rows
    # The poll asks once more: is any status refresh due?
    with django_assert_max_num_queries(7):
        poll = ops_client.get(reverse("ops_dashboard"), {"q": "seeded", "sort": "name"},
                              headers={"HX-Request": "true"})
    assert len(poll.context["rows"]) == rows


def test_csv_export_follows_the_filters_and_holds_no_secret(ops_client, variety):
    response = ops_client.get(reverse("ops_dashboard_csv"), {"status": "FAILED"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 2 and {r["status"] for r in rows} == {"FAILED"}
    assert rows[0]["error_code"] == "DRS.10000001"
    assert rows[0]["error_msg"].startswith("'=")  # a spreadsheet will not run it
    everything = b"".join(ops_client.get(reverse("ops_dashboard_csv")).streaming_content)
    assert len(list(csv.reader(io.StringIO(everything.decode())))) == 9
    assert not any(secret.encode() in everything for secret in SECRET_VALUES)
    assert b"password" not in everything.lower()


def csv_link(response) -> str:
    [tag] = re.findall(r'<a [^>]*id="csv-export"[^>]*>', response.text)
    return html.unescape(re.search(r'href="([^"]*)"', tag)[1])


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}], ids=["page", "htmx swap"])
def test_the_csv_link_exports_what_the_table_shows(ops_client, variety, headers):
    shown = ops_client.get(reverse("ops_dashboard"), {
        "status": "FAILED", "q": "beta", "engine": "", "sort": "-name", "page": "1"},
        headers=headers)
    assert names(shown) == ["beta-00005", "beta-00004"]
    export = ops_client.get(csv_link(shown))
    exported = csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode()))
    assert [row["name"] for row in exported] == names(shown)


def test_retry_only_what_failed(ops_client, seed, ops_user):
    [created] = seed(1)
    response = ops_client.post(reverse("ops_submission_retry", args=[created.pk]))
    assert response.status_code == 302
    assert "Only a failed submission can be retried." in ops_client.get(response.url).text
    assert Submission.objects.count() == 1


def test_retry_refuses_while_another_submission_holds_the_draft(ops_client, seed, demo_user,
                                                                project):
    [failed] = seed(1, state="failed", drs_status="", drs_job_id="")
    Submission.objects.create(draft=failed.draft, user=demo_user, project=project,
                              name=failed.name, state="created")
    response = ops_client.post(reverse("ops_submission_retry", args=[failed.pk]))
    assert "already has an active submission" in ops_client.get(response.url).text


def test_no_retry_is_offered_while_another_submission_holds_the_draft(ops_client, seed,
                                                                     demo_user, project):
    [failed] = seed(1, state="failed", drs_status="", drs_job_id="")
    active = Submission.objects.create(draft=failed.draft, user=demo_user, project=project,
                                       name=failed.name, state="created")
    page = ops_client.get(reverse("submission_detail", args=[failed.pk])).text
    assert "Retry</button>" not in page
    assert ("this draft already has an active submission, "
            f'<a href="/submissions/{active.pk}/">#{active.pk}</a>') in page


def test_retry_creates_a_new_submission_linked_to_the_failed_one(
        ops_client, ops_user, project, demo_user, django_capture_on_commit_callbacks):
    from drsui.wizard.services import draft_from_body
    from tests.contract.bodies import oracle_body

    draft = draft_from_body(owner=demo_user, body=oracle_body(), project=project)
    failed = Submission.objects.create(draft=draft, user=demo_user, project=project,
                                       name=draft.name, state="failed", active=False)
    with django_capture_on_commit_callbacks() as callbacks:
        response = ops_client.post(reverse("ops_submission_retry", args=[failed.pk]))
    retry = Submission.objects.exclude(pk=failed.pk).get()
    assert response.url == reverse("submission_detail", args=[retry.pk])
    assert (retry.retry_of, retry.user, retry.active) == (failed, demo_user, True)
    assert len(callbacks) == 1  # the send is queued once the row is committed
    page = ops_client.get(response.url).text
    assert f"retry of <a href=\"/submissions/{failed.pk}/\">#{failed.pk}</a>" in page
    assert f"retried as <a href=\"/submissions/{retry.pk}/\">" in \
        ops_client.get(reverse("submission_detail", args=[failed.pk])).text


def test_drafts_created_and_deleted_are_audited(ops_client, demo_user, project):
    client = Client()
    client.force_login(demo_user)
    client.post(reverse("draft_new"))  # nothing yet: created by the first save
    client.post(reverse("draft_new"), {"_action": "save", "_version": "0"})
    kept = draft_create(owner=demo_user, project=project)
    doomed = draft_create(owner=demo_user, project=project)
    client.post(reverse("draft_delete", args=[doomed.pk]))
    assert list(AuditEvent.objects.order_by("pk").values_list("action", "user__username")) == [
        ("draft_create", "alice"), ("draft_create", "alice"), ("draft_create", "alice"),
        ("draft_delete", "alice")]
    assert AuditEvent.objects.get(action="draft_delete").draft_id == doomed.pk
    page = ops_client.get(reverse("ops_audit")).text
    assert "Draft deleted" in page and doomed.name in page and kept.name in page
    only_deletes = ops_client.get(reverse("ops_audit"), {"action": "draft_delete"})
    assert len(only_deletes.context["page"].object_list) == 1


def test_retry_of_an_unknown_outcome_is_audited_and_re_queued(
        ops_user, seed, django_capture_on_commit_callbacks):
    [unknown] = seed(1, state="unknown", drs_status="", drs_job_id="")
    with django_capture_on_commit_callbacks() as callbacks:
        same = submission_retry(submission=unknown, user=ops_user)
    assert same.pk == unknown.pk and len(callbacks) == 1
    [event] = AuditEvent.objects.filter(action="retry")
    assert event.user == ops_user and "look up by name" in event.detail


def test_ops_see_the_audit_trail_on_a_submission_page_and_portal_users_do_not(
        ops_client, mine_and_theirs, ops_user, demo_user):
    mine, _ = mine_and_theirs
    AuditEvent.objects.create(user=ops_user, action="retry", submission=mine, detail="checked")
    url = reverse("submission_detail", args=[mine.pk])
    assert "Audit trail" in ops_client.get(url).text
    client = Client()
    client.force_login(demo_user)
    page = client.get(url).text
    assert "Audit trail" not in page and "Retry</button>" not in page


def test_ops_group_membership_is_what_counts(client, demo_user, mine_and_theirs):
    client.force_login(demo_user)
    assert client.get(reverse("ops_dashboard")).status_code == 403
    demo_user.groups.add(Group.objects.get_or_create(name="ops")[0])
    assert client.get(reverse("ops_dashboard")).status_code == 200


def test_every_cell_is_escaped(ops_client, seed):
    seed(1, name='<img src=x onerror="alert(1)">', state="failed", drs_status="",
         drs_job_id="", error_code="E<1>", error_msg='"><script>x</script>')
    page = ops_client.get(reverse("ops_dashboard")).text
    assert "<img src=x" not in page and "<script>x" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert 'title="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in page


def test_the_drafts_links_on_a_failed_submission_are_the_owners_only(
        ops_client, mine_and_theirs, demo_user):
    mine, _ = mine_and_theirs
    url = reverse("submission_detail", args=[mine.pk])
    page = ops_client.get(url).text
    assert "DRS did not create the task." in page and "Back to review" not in page
    assert "Retry</button>" in page and "Precheck</button>" not in page  # no job to act on
    owner = Client()
    owner.force_login(demo_user)
    assert "Back to review" in owner.get(url).text


def test_counts_under_a_search_include_a_submission_made_a_moment_ago(ops_client, variety, seed):
    dashboard(ops_client)  # the counts of the whole list are now kept for a few seconds
    before = {c["status"]: c["n"] for c in dashboard(ops_client, q="gamma").context["counts"]}
    seed(1, name="gamma", state="queued", drs_status="", drs_job_id="")
    response = dashboard(ops_client, q="gamma")
    assert {c["status"]: c["n"] for c in response.context["counts"]} == {
        "QUEUED": before["QUEUED"] + 1}
    assert response.context["page"].paginator.count == before["QUEUED"] + 1
    assert sum(n.startswith("gamma") for n in names(response)) == before["QUEUED"] + 1


SEARCH_NAMES = ["prod-mysql-orders-01", "prod-mysql-orders-02", "orders-prod-mysql",
                "PROD_MYSQL_ORDERS_1", "test-pg-orders", "prod-mysql-users-01", "x%y_z-ord"]


@pytest.mark.parametrize("q", [
    "prod-mysql-orders", "mysql-orders-0", "PROD-MYSQL", "orders-prod", "rs-01", "ers_1",
    "x%y", "_z-ord", "sql-o", "c7debc9c-8e09", "8e09-4A5D", "-", "o", "prod mysql",
])
@pytest.mark.parametrize("rare", ["rarest word", "no word rare"])
def test_a_search_finds_exactly_the_names_and_job_ids_that_contain_it(ops_client, seed, q,
                                                                      rare, monkeypatch):
    # Several words: PostgreSQL reads the index for the rarest first (selectors._search);
    # the rows and counts must be those of the plain contains search all the same.
    from drsui.jobs import selectors

    monkeypatch.setattr(selectors, "RARE", 1 if rare == "rarest word" else 10**6)
    rows = [seed(1, name=name)[0] for name in SEARCH_NAMES]
    Submission.objects.filter(pk=rows[-1].pk).update(
        drs_job_id="c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r")
    expected = sorted(
        s.name for s in Submission.objects.all()
        if q.upper() in s.name.upper() or q.upper() in (s.drs_job_id or "").upper())
    response = dashboard(ops_client, q=q)
    assert sorted(names(response)) == expected
    assert response.context["page"].paginator.count == len(expected)


@pytest.mark.parametrize("params", [
    {"q": "a"}, {"q": "a", "status": "FAILED"}, {"q": "a", "status": "CONFIGURATION"},
    {"q": "ta", "sort": "name"}, {"q": "a", "sort": "-status", "page": "2"},
    {"q": "jb20", "user": "other"}, {"q": "nothing-matches"},
])
def test_a_search_read_at_once_shows_what_the_broad_way_shows(ops_client, variety, seed,
                                                              other_user, monkeypatch, params):
    # A narrow search is read in one query (selectors.submission_search_at_once); with the
    # threshold below the matches, the same search takes the two queries of a broad one.
    from drsui.jobs import selectors

    seed(60, name="beta", state="failed", drs_status="", drs_job_id="")
    params = {**params, **({"user": other_user.pk} if params.get("user") else {})}

    def shown():
        response = dashboard(ops_client, **params)
        page = response.context["page"]
        return (names(response), response.context["counts"], page.paginator.count,
                page.paginator.num_pages, page.number)

    at_once = shown()
    monkeypatch.setattr(selectors, "SEARCH_AT_ONCE", 2)
    assert shown() == at_once
    monkeypatch.setattr(selectors, "SEARCH_AT_ONCE", 0)
    assert shown() == at_once


def test_a_job_created_without_a_status_yet_has_a_pill_that_lists_it(ops_client, seed):
    """DRS's answer to a create may carry no status: the row shows CREATED until the first
    refresh, and the CREATED pill lists it (its filter is accepted, its count matches)."""
    [quiet] = seed(1, name="no-status-yet", drs_status="")
    seed(2)  # CONFIGURATION
    counts = {c["status"]: c["n"] for c in dashboard(ops_client).context["counts"]}
    assert counts == {"CREATED": 1, "CONFIGURATION": 2}
    for q in ("", "no-status"):  # the list, and a search (read in one query)
        response = dashboard(ops_client, status="CREATED", q=q)
        assert "Ignored:" not in response.text
        assert names(response) == [quiet.name]
        assert response.context["page"].paginator.count == 1
