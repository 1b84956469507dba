"""Reads for the submission page and the ops dashboard. Each list is a fixed number of queries,
whatever the number of rows."""

import datetime as dt
import re
from dataclasses import dataclass, replace

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from drsui import contract as c
from drsui.audit.models import AuditEvent
from drsui.roles import OPS_GROUP, is_ops, remember_is_ops
from drsui.waves.models import Wave, WaveRow
from drsui.wizard.models import CloudProject
from drsui.wizard.selectors import projects_for_user

from .models import Approval, ApprovalRule, Submission, display_status

# The dashboard's statuses: the portal's states before a job exists, then DRS's.
PORTAL_STATUSES = ("QUEUED", "SENDING", "FAILED", "UNKNOWN",
                   "AWAITING_APPROVAL", "APPROVED", "REJECTED", "WITHDRAWN", "EXPIRED")
# CREATED: created at DRS, its status not known yet (display_status).
STATUSES = PORTAL_STATUSES + ("CREATED",) + tuple(c.JOB_STATUSES)
SORTS = {
    "-created": ("-created_at", "-pk"),
    "created": ("created_at", "pk"),
    "name": ("name", "-created_at"),
    "-name": ("-name", "-created_at"),
    "status": ("state", "drs_status", "-created_at"),
    "-status": ("-state", "-drs_status", "-created_at"),
}
DEFAULT_SORT = "-created"
# What the list and its CSV show, as plain dicts (150 model instances a page cost more than
# the queries).
LIST_FIELDS = ("pk", "name", "engine_type", "state", "drs_job_id", "drs_status", "error_code",
               "error_msg", "created_at", "retry_of_id", "user__username", "project__name",
               "approvals_needed", "draft_id")


def _approver_of(user) -> Q:
    """Submissions `user` approves: their group is the approver group, in their projects."""
    return Q(approver_group__in=user.groups.all(), project__in=projects_for_user(user))


def submission_get_for_user(*, user, submission_id: int) -> Submission:
    """The user's own submission (the ops group sees every one, an approver those of their
    group in their projects), or 404."""
    qs = Submission.objects.select_related("draft", "project", "user", "retry_of", "sent_body")
    if not is_ops(user):
        qs = qs.filter(Q(user=user) | _approver_of(user))
    return get_object_or_404(qs, pk=submission_id)


def approvals_awaiting_for_user(user) -> QuerySet:
    """Awaiting submissions `user` may decide, newest first: ops every one, approvers those of
    their group in their projects; never their own."""
    if not getattr(user, "is_authenticated", False):
        return Submission.objects.none()
    qs = Submission.objects.filter(state=Submission.State.AWAITING).exclude(user=user)
    if not is_ops(user):
        qs = qs.filter(_approver_of(user))
    return qs.order_by("-created_at", "-pk")


APPROVER_GROUPS_SECONDS = 30


def approver_group_ids() -> frozenset[int]:
    """The groups whose members approve something (a rule's, or an awaiting submission's):
    kept APPROVER_GROUPS_SECONDS per process."""

    def load():
        rules = (ApprovalRule.objects.filter(approvals_needed__gt=0)
                 .exclude(approver_group=None).order_by()
                 .values_list("approver_group_id", flat=True))
        awaiting = (Submission.objects.filter(state=Submission.State.AWAITING)
                    .exclude(approver_group=None).order_by()
                    .values_list("approver_group_id", flat=True))
        return frozenset(rules) | frozenset(awaiting)

    return cache.get_or_set("drsui:jobs:approver-groups", load, APPROVER_GROUPS_SECONDS)


def approvals_awaiting_count(user) -> int:
    """The top bar's count, for ops and approvers only: their groups are read once (which
    also answers is_ops for the rest of the request), then one COUNT; nothing more for
    anyone else."""
    if not getattr(user, "is_authenticated", False):
        return 0
    groups = dict(user.groups.values_list("name", "pk"))
    remember_is_ops(user, OPS_GROUP in groups)
    if not is_ops(user) and not set(groups.values()) & approver_group_ids():
        return 0
    return approvals_awaiting_for_user(user).count()


def submission_decisions(submission: Submission, *, current_digest: str = "") -> list[dict]:
    """Each decision so far, with whether it still counts: void when marked so, or (while the
    submission waits or is approved) when what it approved is no longer what would be sent."""
    rows = []
    for approval in submission.approvals.select_related("approver"):
        void = approval.void or bool(
            current_digest and approval.decision == Approval.Decision.APPROVE
            and approval.digest != current_digest)
        rows.append({"approval": approval, "void": void})
    return rows


def submission_previous(submission: Submission) -> Submission | None:
    """The submission of the same draft made before this one (for the approver's diff)."""
    return (Submission.objects.select_related("sent_body")
            .filter(draft_id=submission.draft_id, pk__lt=submission.pk).order_by("-pk").first())


def draft_rejection(*, draft_id: int) -> dict | None:
    """The draft's last submission if it was rejected and the draft is free: who, when and why
    (the review page says it)."""
    last = (Submission.objects.filter(draft_id=draft_id).order_by("-pk")
            .values("pk", "state", "active").first())
    if not last or last["state"] != Submission.State.REJECTED or last["active"]:
        return None
    approval = (Approval.objects.select_related("approver")
                .filter(submission_id=last["pk"], decision=Approval.Decision.REJECT)
                .order_by("-at").first())
    if approval is None:
        return None
    return {"submission_id": last["pk"], "by": approval.approver.get_username(),
            "at": approval.at, "comment": approval.comment}


def draft_active_submission_id(*, draft_id: int) -> int | None:
    """The submission holding the draft (one at most), if any."""
    return (Submission.objects.filter(draft_id=draft_id, active=True)
            .values_list("pk", flat=True).first())


@dataclass(frozen=True)
class SubmissionFilters:
    status: str = ""
    engine: str = ""
    project: int | None = None
    user: int | None = None
    wave: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""
    sort: str = DEFAULT_SORT


def _status_q(status: str) -> Q:
    if status in PORTAL_STATUSES:
        return Q(state=status.lower())
    return Q(state=Submission.State.CREATED, drs_status="" if status == "CREATED" else status)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def submission_list(*, filters: SubmissionFilters, with_status: bool = True) -> QuerySet:
    """Every submission matching the filters, sorted."""
    qs = Submission.objects.all()
    if with_status and filters.status:
        qs = qs.filter(_status_q(filters.status))
    if filters.engine:
        qs = qs.filter(engine_type=filters.engine)
    if filters.project:
        qs = qs.filter(project_id=filters.project)
    if filters.user:
        qs = qs.filter(user_id=filters.user)
    if filters.wave:
        qs = qs.filter(draft_id__in=WaveRow.objects.filter(wave_id=filters.wave)
                       .values("draft_id"))
    if filters.date_from:
        qs = qs.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(created_at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    if filters.q:
        qs = _search(qs, filters.q)
    return qs.order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))


def _search(qs: QuerySet, q: str) -> QuerySet:
    """The submissions whose name or DRS job id contains q, in any case."""
    word = _rare_word(q) if connection.vendor == "postgresql" else ""
    if word:
        # Implied by the search below (q contains the word), so the rows are the same; but
        # PostgreSQL can read the trigram indexes (jobs 0005) for the rare word alone. The
        # words many names share ("prod", "mysql": a company's prefixes) are in every row's
        # index entry, and reading those cost 5-15 ms a query at 100,000 submissions.
        qs = qs.filter(Q(name__icontains=word) | Q(drs_job_id__icontains=word))
    return qs.filter(Q(name__icontains=q) | Q(drs_job_id__icontains=q))


_WORDS = re.compile(r"[A-Za-z0-9]+")
# How common a word of a search is, is read in the newest SAMPLE_SIZE submissions (kept
# SAMPLE_SECONDS per process); a word in at most 1 in RARE of them is rare.
SAMPLE_SIZE, SAMPLE_SECONDS, RARE = 500, 30, 50


def _rare_word(q: str) -> str:
    """Of a search of several words (letters and digits, as pg_trgm splits it), the rarest
    long enough for a trigram if it is rare, else "" (a common one would make the database
    check every row it is in: slower than the whole search)."""
    words = _WORDS.findall(q)
    if len(words) < 2:
        return ""
    sample = _search_sample()
    seen = {word: sum(word.upper() in text for text in sample)
            for word in words if len(word) >= 3}
    if not seen:
        return ""
    word = min(reversed(seen), key=seen.get)  # the last of equals: a name's distinct end
    return word if seen[word] <= len(sample) // RARE else ""


def _search_sample() -> list[str]:
    def load():
        return [f"{name}\n{job_id}".upper() for name, job_id in (
            Submission.objects.order_by("-created_at", "-pk")
            .values_list("name", "drs_job_id")[:SAMPLE_SIZE])]

    return cache.get_or_set("drsui:jobs:search-sample", load, SAMPLE_SECONDS)


def submission_rows(*, filters: SubmissionFilters) -> QuerySet:
    """submission_list as dicts of LIST_FIELDS plus "status" (see display_status), one query
    with the user's and the project's names joined in."""
    return submission_list(filters=filters).values(*LIST_FIELDS)


def submission_csv_rows(*, filters: SubmissionFilters) -> QuerySet:
    """submission_rows with each one's wave name ("" for none) joined in."""
    return submission_list(filters=filters).values(
        *LIST_FIELDS, wave_name=Coalesce("draft__wave_row__wave__name", Value("")))


def with_status(rows) -> list[dict]:
    for row in rows:
        row["status"] = display_status(row["state"], row["drs_status"])
    return rows


def with_waves(rows: list[dict]) -> list[dict]:
    """Each row's wave ("wave_id", "wave_name"; None and "" for none), one query for the page
    (not joined into the list: a deep page would pay the joins for every row it skips)."""
    waves = {draft_id: (wave_id, name)
             for draft_id, wave_id, name in _waves_of_drafts([row["draft_id"] for row in rows])}
    for row in rows:
        row["wave_id"], row["wave_name"] = waves.get(row["draft_id"], (None, ""))
    return rows


def _waves_of_drafts(draft_ids: list[int]) -> list[tuple[int, int, str]]:
    """(draft id, wave id, wave name) of those drafts that are a wave's rows. Written out:
    building the ORM's query for 50 ids cost several times what it takes the database."""
    if not draft_ids:
        return []
    rows, waves, quote = WaveRow._meta, Wave._meta, connection.ops.quote_name
    draft, wave = (quote(rows.get_field(f).column) for f in ("draft", "wave"))
    sql = (f"SELECT r.{draft}, r.{wave}, w.{quote(waves.get_field('name').column)} "
           f"FROM {quote(rows.db_table)} r JOIN {quote(waves.db_table)} w ON w.id = r.{wave} "
           f"WHERE r.{draft} IN ({', '.join(['%s'] * len(draft_ids))})")
    with connection.cursor() as cursor:
        cursor.execute(sql, draft_ids)
        return cursor.fetchall()


# Counted under no filter, the statuses are a scan of every submission: at 100,000 rows that
# cost more than the rest of the dashboard together. Those counts are kept this long per
# process (the dashboard's poll interval); counts under a filter are taken each time.
COUNTS_SECONDS = 5


def submission_status_counts(*, filters: SubmissionFilters) -> dict[str, int]:
    """{status: count} under every filter but the status itself: one aggregate query."""
    if filters == SubmissionFilters(status=filters.status, sort=filters.sort):
        return cache.get_or_set("drsui:jobs:status-counts",
                                lambda: _status_counts(SubmissionFilters()), COUNTS_SECONDS)
    return _status_counts(filters)


def _status_counts(filters: SubmissionFilters) -> dict[str, int]:
    return _counts_per_status(
        submission_list(filters=filters, with_status=False).order_by()
        .values_list("state", "drs_status").annotate(n=Count("pk")))


def _counts_per_status(groups) -> dict[str, int]:
    """(state, drs_status, n) groups as {status: n}, in STATUSES' order."""
    counts: dict[str, int] = {}
    for state, drs_status, n in groups:
        key = display_status(state, drs_status)
        counts[key] = counts.get(key, 0) + n
    order = {status: i for i, status in enumerate(STATUSES)}
    return dict(sorted(counts.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


# A search matching at most this many submissions (of any status) is read in one query: its
# counts per status and its rows come from the same rows (a search otherwise reads the
# indexes twice, for the counts and for the page).
SEARCH_AT_ONCE = 100


def submission_search_at_once(*, filters: SubmissionFilters) -> tuple[list[dict], dict] | None:
    """For a search (filters.q) that matches at most SEARCH_AT_ONCE submissions: its rows as
    submission_rows gives them (with "status"; under the status filter, sorted) and its counts
    as submission_status_counts gives them, from one query. None for a broader search."""
    rows = list(submission_rows(filters=replace(filters, status=""))[:SEARCH_AT_ONCE + 1])
    if len(rows) > SEARCH_AT_ONCE:
        return None
    counts = _counts_per_status(
        (state, drs_status, 1) for state, drs_status in
        ((row["state"], row["drs_status"]) for row in rows))
    if filters.status:
        rows = [row for row in rows if _has_status(row, filters.status)]
    return with_status(rows), counts


def _has_status(row: dict, status: str) -> bool:
    """_status_q(status), for a row read already."""
    return display_status(row["state"], row["drs_status"]) == status


CHOICES_SECONDS = 30


def filter_choices() -> dict:
    """Projects, submitting users and waves with submissions for the dashboard's selects
    (three queries, then kept CHOICES_SECONDS per process: a list of options, never a
    permission)."""

    def load():
        users = get_user_model().objects.filter(
            pk__in=Submission.objects.values("user_id")).order_by("username")
        return {
            "projects": list(CloudProject.objects.order_by("name").values_list("pk", "name")),
            "users": list(users.values_list("pk", "username")),
            "waves": list(Wave.objects.filter(rows__draft__submissions__isnull=False)
                          .distinct().order_by("name", "pk").values_list("pk", "name")),
        }

    return cache.get_or_set("drsui:jobs:filter-choices", load, CHOICES_SECONDS)


def audit_list(*, action: str = "", user: str = "", q: str = "",
               submission_id: int | None = None) -> QuerySet:
    qs = AuditEvent.objects.select_related("user", "submission")
    if action:
        qs = qs.filter(action=action)
    if user:
        qs = qs.filter(user__username__iexact=user)
    if submission_id:
        qs = qs.filter(submission_id=submission_id)
    if q:
        qs = qs.filter(Q(detail__icontains=q) | Q(submission__name__icontains=q)
                       | Q(submission__drs_job_id__icontains=q))
    return qs.order_by("-at", "-pk")
