from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from drsui.fields import OrderedJSONField
from drsui.wizard.models import CloudProject, Draft

# Status refresh back-off (seconds): the first look, then doubled while nothing changes.
REFRESH_FIRST = 5
REFRESH_MAX = 600


# The portal's own outcomes, kept in `error_code` beside DRS's codes (DRS.10000010, APIGW.0301):
# shown to people in words, never where DRS's code goes.
PORTAL_OUTCOMES = {
    "AUTH": _("Credentials refused"),
    "UNREACHABLE": _("DRS not reached"),
    "NOT_CREATED": _("Not created at DRS"),
    "UNKNOWN": _("Outcome unknown"),
    "SECRETS": _("Stored passwords unreadable"),
    "ERROR": _("No usable answer from DRS"),
    "CHANGED": _("Changed after approval"),
    "NOT_APPROVED": _("Not approved"),
}


def drs_error_code(code: str) -> str:
    """The error code if DRS gave it, "" if it is one of the portal's own outcomes."""
    return "" if code in PORTAL_OUTCOMES else code


def portal_outcome(code: str) -> str:
    """The portal's own outcome in words, in the active language ("" for a DRS error code)."""
    return str(PORTAL_OUTCOMES.get(code, ""))


class ErrorCodeShown:
    """A row's `error_code` as the pages show it: DRS's code, or the portal's outcome in words."""

    @property
    def drs_error_code(self) -> str:
        return drs_error_code(self.error_code)

    @property
    def portal_outcome(self) -> str:
        return portal_outcome(self.error_code)


def display_status(state: str, drs_status: str) -> str:
    """What the dashboard shows: the DRS status once created, else the portal's state."""
    if state == Submission.State.CREATED:
        return drs_status or "CREATED"
    return state.upper()


# A status (display_status: the portal's state before DRS has the job, then DRS's status) in
# words. In English the words are the status itself, as DRS and the API name it; in Chinese
# the words of DRS's own API reference (迁移 for every job type, as it says them).
STATUS_WORDS = {
    "AWAITING_APPROVAL": pgettext_lazy("status", "AWAITING_APPROVAL"),
    "APPROVED": pgettext_lazy("status", "APPROVED"),
    "REJECTED": pgettext_lazy("status", "REJECTED"),
    "WITHDRAWN": pgettext_lazy("status", "WITHDRAWN"),
    "EXPIRED": pgettext_lazy("status", "EXPIRED"),
    "QUEUED": pgettext_lazy("status", "QUEUED"),
    "SENDING": pgettext_lazy("status", "SENDING"),
    "FAILED": pgettext_lazy("status", "FAILED"),
    "UNKNOWN": pgettext_lazy("status", "UNKNOWN"),
    "CREATED": pgettext_lazy("status", "CREATED"),
    "CREATING": pgettext_lazy("status", "CREATING"),
    "CREATE_FAILED": pgettext_lazy("status", "CREATE_FAILED"),
    "CONFIGURATION": pgettext_lazy("status", "CONFIGURATION"),
    "STARTJOBING": pgettext_lazy("status", "STARTJOBING"),
    "WAITING_FOR_START": pgettext_lazy("status", "WAITING_FOR_START"),
    "START_JOB_FAILED": pgettext_lazy("status", "START_JOB_FAILED"),
    "FULL_TRANSFER_STARTED": pgettext_lazy("status", "FULL_TRANSFER_STARTED"),
    "FULL_TRANSFER_FAILED": pgettext_lazy("status", "FULL_TRANSFER_FAILED"),
    "FULL_TRANSFER_COMPLETE": pgettext_lazy("status", "FULL_TRANSFER_COMPLETE"),
    "INCRE_TRANSFER_STARTED": pgettext_lazy("status", "INCRE_TRANSFER_STARTED"),
    "INCRE_TRANSFER_FAILED": pgettext_lazy("status", "INCRE_TRANSFER_FAILED"),
    "RELEASE_RESOURCE_STARTED": pgettext_lazy("status", "RELEASE_RESOURCE_STARTED"),
    "RELEASE_RESOURCE_FAILED": pgettext_lazy("status", "RELEASE_RESOURCE_FAILED"),
    "RELEASE_RESOURCE_COMPLETE": pgettext_lazy("status", "RELEASE_RESOURCE_COMPLETE"),
    "CHANGE_JOB_STARTED": pgettext_lazy("status", "CHANGE_JOB_STARTED"),
    "CHANGE_JOB_FAILED": pgettext_lazy("status", "CHANGE_JOB_FAILED"),
    "PAUSING": pgettext_lazy("status", "PAUSING"),
    "DELETED": pgettext_lazy("status", "DELETED"),
    "CHILD_TRANSFER_STARTING": pgettext_lazy("status", "CHILD_TRANSFER_STARTING"),
    "CHILD_TRANSFER_STARTED": pgettext_lazy("status", "CHILD_TRANSFER_STARTED"),
    "CHILD_TRANSFER_COMPLETE": pgettext_lazy("status", "CHILD_TRANSFER_COMPLETE"),
    "CHILD_TRANSFER_FAILED": pgettext_lazy("status", "CHILD_TRANSFER_FAILED"),
}


def status_words(status: str) -> str:
    """A status in the active language's words; one not known (a newer DRS's) as it is."""
    return str(STATUS_WORDS.get(status, status))


def language_now() -> str:
    """The active language's code as a submission records it ("en", "zh-hans")."""
    return get_language() or settings.LANGUAGE_CODE


class Submission(ErrorCodeShown, models.Model):
    """One request to create a DRS job from a draft, with every attempt to send it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        CREATED = "created", _("Created at DRS")
        FAILED = "failed", _("Failed")
        UNKNOWN = "unknown", _("Outcome unknown")
        AWAITING = "awaiting_approval", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")

    # The verbose names are the ones Django would give (the admin's English is unchanged).
    draft = models.ForeignKey(Draft, on_delete=models.PROTECT, related_name="submissions",
                              verbose_name=_("draft"))
    # Indexed by jobs_sub_user_created (user, created_at), as name by jobs_sub_name_created.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_index=False,
                             verbose_name=_("user"))
    project = models.ForeignKey(CloudProject, on_delete=models.PROTECT, verbose_name=_("project"))
    name = models.CharField(_("name"), max_length=64)
    engine_type = models.CharField(_("engine type"), max_length=40, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices,
                             default=State.QUEUED)
    # Held by every submission but a failed, rejected, withdrawn or expired one: one DRS job
    # per draft at most.
    active = models.BooleanField(_("active"), default=True)
    retry_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="retries",
        verbose_name=_("retry of"), help_text=_("The failed submission this one repeats."))
    # The language of the person who submitted (LANGUAGES' code): DRS is asked to answer in it
    # (X-Language), and the portal's messages about this submission are written in it.
    language = models.CharField(_("language"), max_length=16, default="en", editable=False)
    drs_job_id = models.CharField(_("drs job id"), max_length=64, blank=True, db_index=True)
    drs_status = models.CharField(_("drs status"), max_length=40, blank=True)
    error_code = models.CharField(_("error code"), max_length=32, blank=True)
    error_msg = models.TextField(_("error msg"), blank=True)
    error_path = models.CharField(_("error path"), max_length=200, blank=True)
    # Background status refresh: due at next_refresh_at; the interval doubles while the status
    # stays the same (REFRESH_FIRST .. REFRESH_MAX seconds) and starts again on a change.
    next_refresh_at = models.DateTimeField(_("next refresh at"), null=True, blank=True)
    refresh_interval = models.PositiveIntegerField(_("refresh interval"), default=REFRESH_FIRST)
    # Approval (services/approvals.py): the policy rule that matched, copied as it was when the
    # submission was made (a later edit of the policy changes no submission in flight).
    policy = models.JSONField(_("approval policy"), default=dict, blank=True)
    approvals_needed = models.PositiveSmallIntegerField(_("approvals needed"), default=0)
    approver_group = models.ForeignKey(
        "auth.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("approver group"))
    # What the requester asked to send: services.approvals.submission_digest.
    content_digest = models.CharField(_("content digest"), max_length=64, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    remind_at = models.DateTimeField(_("remind at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft"], condition=Q(active=True), name="one_active_submission_per_draft"
            )
        ]
        indexes = [
            models.Index(fields=["state", "drs_status"], name="jobs_sub_status"),
            models.Index(fields=["name", "created_at"], name="jobs_sub_name_created"),
            # "Is any refresh due?" on every poll: answered from this index alone.
            models.Index(fields=["next_refresh_at", "state", "drs_status"], name="jobs_sub_due"),
            # The per-person submit limit counts a user's last minute on every submit.
            models.Index(fields=["user", "created_at"], name="jobs_sub_user_created"),
            # PostgreSQL also has trigram indexes for the dashboard's search (migration 0005).
        ]

    def __str__(self):
        return f"{self.name} ({self.state})"

    @property
    def status(self) -> str:
        return display_status(self.state, self.drs_status)

    @property
    def body(self) -> dict:
        """The body as sent, each secret replaced by ****** (kept in SubmissionBody)."""
        try:
            return self.sent_body.body
        except SubmissionBody.DoesNotExist:
            return {}


class SubmissionBody(models.Model):
    """A submission's body, in a table of its own: a body is a few kB, and the dashboard's
    counts, filters and searches then scan short submission rows."""

    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, primary_key=True, related_name="sent_body")
    body = OrderedJSONField(help_text=_("The body as sent, each secret replaced by ******."))

    def __str__(self):
        return f"body of submission {self.submission_id}"


class Attempt(models.Model):
    class Outcome(models.TextChoices):
        CREATED = "created", pgettext_lazy("an attempt's outcome", "Created")
        REFUSED = "refused", _("Refused by DRS")
        NOT_SENT = "not_sent", _("Not sent (DRS unreachable)")
        UNKNOWN = "unknown", _("Sent, outcome unknown")
        FOUND = "found", _("Found at DRS by name")
        NOT_FOUND = "not_found", _("Not found at DRS by name")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attempts")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    # The DRS job id and status (created, found), or the error code and message.
    drs_job_id = models.CharField(max_length=64, blank=True)
    drs_status = models.CharField(max_length=40, blank=True)
    error_code = models.CharField(max_length=32, blank=True)
    error_msg = models.TextField(blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["started_at", "pk"]

    def __str__(self):
        return f"attempt {self.pk}: {self.outcome or 'in progress'}"

    @property
    def drs_error_code(self) -> str:
        return drs_error_code(self.error_code)


class StatusEvent(models.Model):
    """A DRS status as drsui first saw it (`at`), and when DRS says the job reached it."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=40)
    at = models.DateTimeField(auto_now_add=True)
    drs_at = models.DateTimeField(
        null=True, blank=True,
        help_text=_("When DRS says the job reached this status (its update_time, or create_time "
                    "for the status it was created in); empty when DRS gave no time."))

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return self.status


class ActionRun(ErrorCodeShown, models.Model):
    """A job action sent to DRS after creation (test connection, precheck, start)."""

    class Action(models.TextChoices):
        NETWORK = "network", _("Test connection")
        PRECHECK = "precheck", _("Precheck")
        START = "start", _("Start")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Waiting for the result")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="action_runs")
    action = models.CharField(max_length=12, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    query_id = models.CharField(max_length=64, blank=True)
    result = models.JSONField(default=dict, blank=True,
                              help_text=_("DRS's answer to ?type=network|precheck&query_id="))
    error_code = models.CharField(max_length=32, blank=True)
    error_msg = models.TextField(blank=True)
    # The language of the person who asked for it: DRS answers in it, the messages are in it.
    language = models.CharField(max_length=16, default="en", editable=False)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.action} ({self.state})"

    @property
    def items(self) -> list[dict]:
        """The result's per-item rows: [{item, passed, detail}]."""
        rows = []
        for entry in (self.result or {}).get("results") or []:
            if not isinstance(entry, dict):
                continue
            if "success" in entry:
                passed = entry.get("success") is True
                verdict = "PASS" if passed else "FAIL"
            else:
                verdict = str(entry.get("result", ""))
                passed = verdict.upper() in ("PASS", "SUCCESS", "TRUE")
            detail = {k: v for k, v in entry.items() if k not in ("item", "success", "result")}
            rows.append({"item": str(entry.get("item", "")), "verdict": verdict,
                         "passed": passed, "detail": detail})
        return rows



CATCH_ALL_NAME = "Everything else"  # not translated: a rule's name, data ops edit
CONDITIONS = ("project", "engine_type", "job_type", "charging_mode", "node_type", "tag")


class ApprovalRule(models.Model):
    """One row of the approval policy: the first enabled rule (by position) whose every set
    condition holds decides how many approvals a submission needs, and from whom. The
    catch-all (`catch_all`) matches everything, comes last and is always there: nothing
    fails open."""

    position = models.PositiveIntegerField(_("position"), default=100)
    name = models.CharField(_("name"), max_length=80)
    enabled = models.BooleanField(_("enabled"), default=True)
    catch_all = models.BooleanField(_("catch-all"), default=False, editable=False)
    # Conditions: empty = any.
    project = models.ForeignKey(CloudProject, on_delete=models.CASCADE, null=True, blank=True,
                                verbose_name=_("project"))
    engine_type = models.CharField(_("engine type"), max_length=40, blank=True)
    job_type = models.CharField(_("job type"), max_length=20, blank=True)
    charging_mode = models.CharField(_("billing mode"), max_length=20, blank=True)
    node_type = models.CharField(_("node type"), max_length=20, blank=True)
    tag = models.CharField(_("tag"), max_length=200, blank=True,
                           help_text=_('"key=value", matched against the task\'s tags.'))
    # Outcome.
    approvals_needed = models.PositiveSmallIntegerField(
        _("approvals needed"), default=1, help_text=_("0: no approval needed."))
    approver_group = models.ForeignKey(
        "auth.Group", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("approver group"))
    expires_after_hours = models.PositiveIntegerField(
        _("expires after (hours)"), null=True, blank=True,
        help_text=_("Empty: a request waits until decided or withdrawn."))
    remind_after_hours = models.PositiveIntegerField(
        _("remind after (hours)"), null=True, blank=True,
        help_text=_("Empty: no reminder."))

    class Meta:
        ordering = ["catch_all", "position", "pk"]
        verbose_name = _("approval rule")
        verbose_name_plural = _("approval policy")
        constraints = [models.UniqueConstraint(fields=["catch_all"], condition=Q(catch_all=True),
                                               name="one_catch_all_rule")]

    def __str__(self):
        return self.name

    def clean(self):
        if self.tag and "=" not in self.tag:
            raise ValidationError({"tag": _('Write the tag as "key=value".')})
        if self.approvals_needed and self.approver_group_id is None:
            raise ValidationError(
                {"approver_group": _("Choose the group whose members approve.")})
        if self.catch_all:
            if not self.enabled:
                raise ValidationError({"enabled": _("The catch-all rule is always enabled.")})
            if self.project_id or any(getattr(self, f) for f in CONDITIONS[1:]):
                raise ValidationError(_("The catch-all rule matches everything: it has no "
                                        "conditions."))

    def delete(self, *args, **kwargs):
        if self.catch_all:
            raise ValidationError(_("The catch-all rule cannot be deleted."))
        return super().delete(*args, **kwargs)

    def as_copied(self) -> dict:
        """What a submission keeps of the rule that matched it."""
        return {"rule_id": self.pk, "name": self.name, "approvals_needed": self.approvals_needed,
                "group": self.approver_group.name if self.approver_group_id else "",
                "expires_after_hours": self.expires_after_hours,
                "remind_after_hours": self.remind_after_hours}


class Approval(models.Model):
    """One approver's decision on a submission, bound to the digest of what they saw."""

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE,
                                   related_name="approvals", verbose_name=_("submission"))
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 verbose_name=_("approver"))
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    digest = models.CharField(_("digest"), max_length=64)
    # Void: what was approved changed before it was sent (it no longer counts).
    void = models.BooleanField(_("void"), default=False)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [
            # One person counts once (a double click, two tabs).
            models.UniqueConstraint(fields=["submission", "approver"], condition=Q(void=False),
                                    name="one_decision_per_approver"),
        ]

    def __str__(self):
        return f"{self.decision} by {self.approver_id} on {self.submission_id}"
