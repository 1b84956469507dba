"""A task queued before jobs/services.py became a package is stored under its old path
(drsui.jobs.services.<name>): the worker still finds it there."""

import pytest
from django.tasks import Task
from django.utils.module_loading import import_string


@pytest.mark.parametrize("name", [
    "submission_send", "submission_refresh_due", "action_run_send", "action_run_fetch"])
def test_a_task_queued_under_its_old_path_still_resolves(name):
    task = import_string(f"drsui.jobs.services.{name}")
    assert isinstance(task, Task)
    assert import_string(task.module_path) is task
    assert task.module_path != f"drsui.jobs.services.{name}"  # it lives beside its service
