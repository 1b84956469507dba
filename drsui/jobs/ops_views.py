"""The ops dashboard: every submission, retries, job actions, the audit trail (ops group only)."""

import csv
from html import escape as esc

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from drsui.errors import ApplicationError
from drsui.roles import ops_required

from .forms import AuditFilterForm, DashboardFilterForm
from .models import Submission, display_status, drs_error_code, portal_outcome, status_words
from .selectors import (
    approvals_awaiting_for_user,
    audit_list,
    filter_choices,
    submission_csv_rows,
    submission_rows,
    submission_search_at_once,
    submission_status_counts,
    with_status,
    with_waves,
)
from .services.actions import action_request
from .services.refresh import refresh_enqueue_if_due
from .services.submit import submission_retry
from .views import status_colour
from .wave_views import wave_page_url

PAGE_SIZE = 50
AUDIT_PAGE_SIZE = 100
CSV_COLUMNS = ("id", "created_at", "user", "project", "name", "engine_type", "status", "state",
               "drs_job_id", "drs_status", "error_code", "error_msg", "retry_of", "approval",
               "wave")
# The dashboard shows this many of the submissions awaiting approval (the queue page all).
QUEUE_SIZE = 10
_APPROVAL_STATES = ("awaiting_approval", "approved", "rejected", "withdrawn", "expired")


def approval_state(state: str, approvals_needed: int) -> str:
    """The CSV's approval column: "not_needed", the approval state while it decides, else
    "approved" (it went on to be sent)."""
    if not approvals_needed:
        return "not_needed"
    return state if state in _APPROVAL_STATES else "approved"


def _query_without(request, *names) -> str:
    """The current GET query minus some keys, for links that change only those."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@ops_required
@require_GET
def dashboard(request):
    partial = request.htmx and not request.htmx.history_restore_request
    if partial:  # a poll or a filter change: the table alone
        refresh_enqueue_if_due()
    form = DashboardFilterForm(request.GET, **({} if partial else filter_choices()))
    filters = form.filters()
    if partial and form.errors and request.htmx.trigger == "ops-filters":
        # A bad value in the filters: the whole page, which shows it on its input.
        return HttpResponseClientRedirect(f"{request.path}?{request.GET.urlencode()}")
    found = submission_search_at_once(filters=filters) if filters.q else None
    if found is not None:
        rows, counts = found
    else:
        rows, counts = submission_rows(filters=filters), submission_status_counts(filters=filters)
    paginator = Paginator(rows, PAGE_SIZE)
    # The counts per status already hold the total: no COUNT(*) over the joined rows.
    paginator.count = counts.get(filters.status, 0) if filters.status else sum(counts.values())
    page = paginator.get_page(request.GET.get("page"))
    rows = with_waves(with_status(list(page.object_list)))
    pills = [{"status": k, "words": status_words(k), "n": n, "colour": status_colour(k)}
             for k, n in counts.items()]
    query_no_status = _query_without(request, "status", "page")
    ctx = {} if partial else _queue(request.user)
    ctx |= {
        "form": form,
        "filters": filters,
        "page": page,
        "rows": rows,
        "rows_html": _rows_html(rows),
        "counts": pills,
        "pills_html": _pills_html(pills, filters.status, query_no_status),
        "total": sum(counts.values()),
        "query": request.GET.urlencode(),
        "query_no_page": _query_without(request, "page"),
        "query_no_sort": _query_without(request, "sort", "page"),
        "query_no_status": query_no_status,
    }
    template = "ops/dashboard.html" + ("#table" if partial else "")
    return render(request, template, ctx)


def _queue(user) -> dict:
    """The dashboard's "Awaiting approval": the newest QUEUE_SIZE, and their count (the top
    bar's badge reads it rather than counting again)."""
    waiting = approvals_awaiting_for_user(user)
    # Their ids first: most of the time none waits, and this plain query costs half of one
    # that joins the people and projects in.
    ids = list(waiting.values_list("pk", flat=True)[:QUEUE_SIZE + 1])
    waiting = list(waiting.select_related("user", "project").filter(pk__in=ids)) if ids else []
    ctx = {"waiting": waiting[:QUEUE_SIZE], "waiting_more": len(waiting) > QUEUE_SIZE}
    if len(waiting) <= QUEUE_SIZE:
        ctx["approvals_waiting"] = len(waiting)
    return ctx


# Job id, engine, project and user give way on a phone (ui.md: no sideways scrolling).
_ROW = ('<tr data-id="{pk}"><td><a href="{url}">{name}</a>{retry}</td>'
        '<td class="d-none d-md-table-cell"><code class="small">{job}</code></td>'
        '<td><span class="badge text-bg-{colour}"{status_title}>{status}</span>{error}</td>'
        '<td class="small d-none d-md-table-cell">{engine}</td>'
        '<td class="small d-none d-md-table-cell">{project}</td>'
        '<td class="small d-none d-md-table-cell">{user}</td>'
        '<td class="small d-none d-lg-table-cell">{wave}</td>'
        '<td class="small text-nowrap">'
        '<time datetime="{iso}" title="GMT{offset}">{created}</time></td></tr>')
_RETRY = ' <span class="small text-body-secondary">{retry}</span>'
_ERROR = ' <code class="small" title="{msg}">{code}</code>'
_OUTCOME = ' <span class="small text-body-secondary" title="{msg}">{outcome}</span>'
_WAVE = '<a href="{url}">{name}</a>'


def _rows_html(submissions) -> str:
    """The table's rows, built here rather than in the template: with 50 rows the template
    engine's per-cell work cost more than every query of the page together. Every value is
    escaped (html.escape, quotes included). A status is in the person's words; where they
    are not the status itself (Chinese), the status is the badge's title."""
    detail = reverse("submission_detail", args=[0])[: -len("0/")]
    retry = _RETRY.format(retry=esc(pgettext("a submission that retries another", "retry")))
    wave_url = wave_page_url(0)
    zone = timezone.get_current_timezone()
    badges = {}  # status: (colour, words, title), a page holds a few
    rows = []
    for r in submissions:
        status = r["status"]
        if status not in badges:
            words = status_words(status)
            badges[status] = (status_colour(status), esc(words),
                              "" if words == status else f' title="{esc(status)}"')
        colour, words, status_title = badges[status]
        error = ""
        if drs_error_code(r["error_code"]):
            error = _ERROR.format(msg=esc(r["error_msg"]), code=esc(r["error_code"]))
        elif r["error_code"] and r["error_code"] != status:  # the portal's own outcome
            # in words (not "UNKNOWN" twice: the status says it)
            error = _OUTCOME.format(msg=esc(r["error_msg"]),
                                    outcome=esc(portal_outcome(r["error_code"])))
        wave = ""
        if r["wave_id"]:
            wave = _WAVE.format(name=esc(r["wave_name"]),
                                url=wave_url.replace("/0/", f"/{r['wave_id']}/"))
        iso = r["created_at"].astimezone(zone).isoformat()
        rows.append(_ROW.format(
            pk=r["pk"], url=f"{detail}{r['pk']}/", name=esc(r["name"]),
            retry=retry if r["retry_of_id"] else "", job=esc(r["drs_job_id"] or "—"),
            colour=colour, status=words, status_title=status_title, error=error,
            engine=esc(r["engine_type"]), project=esc(r["project__name"]),
            user=esc(r["user__username"]), wave=wave,
            iso=iso, offset=iso[-6:], created=iso[:16].replace("T", " ")))
    return mark_safe("\n".join(rows))


_PILL = ('<a class="badge rounded-pill text-bg-{colour} text-decoration-none{current}" '
         'data-status="{status}" href="?{query}status={status}"{title}>{words} '
         '<span class="fw-normal count">{n}</span></a>')


def _pills_html(pills: list[dict], current: str, query_no_status: str) -> str:
    """A link per status with its count (built here, as the rows are); the current one
    framed. Escaped as the rows are."""
    query = f"{esc(query_no_status)}&amp;" if query_no_status else ""
    return mark_safe("".join(_PILL.format(
        colour=c["colour"], status=esc(c["status"]), query=query, words=esc(c["words"]),
        n=c["n"], current=" border border-2 border-dark" if c["status"] == current else "",
        title="" if c["words"] == c["status"] else f' title="{esc(c["status"])}"')
        for c in pills))


class _Echo:
    def write(self, value):
        return value


def _cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_rows(queryset):
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for r in queryset.iterator(chunk_size=2000):
        yield writer.writerow([_cell(v) for v in (
            r["pk"], r["created_at"].isoformat(), r["user__username"], r["project__name"],
            r["name"], r["engine_type"], display_status(r["state"], r["drs_status"]),
            r["state"], r["drs_job_id"], r["drs_status"], r["error_code"], r["error_msg"],
            r["retry_of_id"] or "", approval_state(r["state"], r["approvals_needed"]),
            r["wave_name"])])


@ops_required
@require_GET
def dashboard_csv(request):
    """The dashboard's rows under the same filters, as CSV (never a body, so never a secret)."""
    form = DashboardFilterForm(request.GET)
    response = StreamingHttpResponse(_csv_rows(submission_csv_rows(filters=form.filters())),
                                     content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="drsui-submissions-{stamp}.csv"'
    return response


@ops_required
@require_POST
def submission_retry_view(request, submission_id: int):
    submission = get_object_or_404(Submission.objects.select_related("draft"), pk=submission_id)
    try:
        new = submission_retry(submission=submission, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("submission_detail", submission.pk)
    if new.pk == submission.pk:
        messages.info(request, _("Looking the job up by name at DRS; it is sent again only if "
                                 "DRS has no job of this name."))
    else:
        messages.success(request, _("Retrying as submission %(id)s.") % {"id": new.pk})
    return redirect("submission_detail", new.pk)


@ops_required
@require_POST
def submission_action_view(request, submission_id: int, action: str):
    submission = get_object_or_404(Submission, pk=submission_id)
    try:
        run = action_request(submission=submission, action=action, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.info(request, _("%(action_name)s sent to DRS.")
                      % {"action_name": run.get_action_display()})
    return redirect(reverse("submission_detail", args=[submission.pk]) + "#actions")


@ops_required
@require_GET
def audit(request):
    form = AuditFilterForm(request.GET)
    form.is_valid()
    data = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    events = audit_list(action=data.get("action") or "", user=(data.get("user") or "").strip(),
                        q=(data.get("q") or "").strip(),
                        submission_id=data.get("submission"))
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ops/audit.html", {
        "form": form, "page": page})
