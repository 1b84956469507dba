"""No secret of a draft appears in any page, export, log line or error report of the portal."""

import logging
import sys
from unittest import mock

import pytest
from django.core.signals import got_request_exception
from django.urls import reverse
from django.views.debug import ExceptionReporter

from drsui.wizard.services import draft_from_body
from tests.contract.bodies import SECRET_VALUES, full_body
from tests.wizard.terraform_reader import assert_terraform_export

pytestmark = pytest.mark.django_db


def portal_urls(draft):
    urls = [reverse("draft_step", args=[draft.pk, step]) for step in
            ("base", "source", "target", "network", "billing", "node", "review")]
    urls += [reverse("draft_list"), reverse("draft_resume", args=[draft.pk]),
             reverse("draft_export", args=[draft.pk])]
    urls += [reverse("draft_export", args=[draft.pk]) + f"?format={f}"
             for f in ("json", "curl", "terraform")]
    return urls


def test_no_page_or_export_or_log_line_shows_a_secret(client_in, demo_user, project, caplog):
    draft = draft_from_body(owner=demo_user, body=full_body(), project=project)
    assert set(draft.secrets().values()) & set(SECRET_VALUES)
    caplog.set_level(logging.DEBUG)
    seen = []
    for url in portal_urls(draft):
        response = client_in.get(url, follow=True)
        assert response.status_code == 200, url
        seen.append(response.content.decode())
        if url.endswith("format=terraform"):
            assert_terraform_export(seen[-1], full_body())
    # a save of a step with a password typed in, and the re-render of a deciding field
    for action in ("update", "save"):
        draft.refresh_from_db()
        response = client_in.post(reverse("draft_step", args=[draft.pk, "source"]), {
            "_action": action, "_version": draft.version,
            "_present": ["source_endpoint.0.endpoint.db_password"],
            "source_endpoint.0.endpoint.db_password": "s3cret-2"}, follow=True)
        seen.append(response.content.decode())
    seen.append(caplog.text)
    for text in seen:
        for secret in SECRET_VALUES:
            assert secret not in text


def test_an_error_report_does_not_show_posted_or_stored_secrets(client_in, demo_user, project):
    """The report Django logs or mails for a 500 hides the POST and the failing frames' locals."""
    draft = draft_from_body(owner=demo_user, body=full_body(), project=project)
    reports = []

    def report(sender, request, **kwargs):
        reporter = ExceptionReporter(request, *sys.exc_info())
        reports.extend([reporter.get_traceback_text(), reporter.get_traceback_html()])

    got_request_exception.connect(report)
    client_in.raise_request_exception = False
    try:
        with mock.patch("drsui.wizard.services.draft_save_step", side_effect=RuntimeError("boom")):
            response = client_in.post(reverse("draft_step", args=[draft.pk, "source"]), {
                "_action": "save", "_version": draft.version,
                "source_endpoint.0.endpoint.db_password": "typed-secret-77"})
    finally:
        got_request_exception.disconnect(report)
    assert response.status_code == 500
    assert reports and "RuntimeError" in reports[0]
    for text in [response.content.decode(), *reports]:
        assert "typed-secret-77" not in text
        for secret in SECRET_VALUES:
            assert secret not in text
