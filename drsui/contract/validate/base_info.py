"""base_info: name, scenario, engine, direction, task and network types, billing mode, tags
(R-01 to R-11)."""

import re
from functools import partial

from ..enums import CHARGING_MODES, ENGINE_TYPES, JOB_DIRECTIONS, JOB_TYPES, NET_TYPES, TASK_TYPES
from ..i18n import _
from ..rules import (
    SCENARIOS,
    directions_for,
    fast_clean_allowed,
    multi_write_allowed,
    net_types_for,
    task_types_for,
)
from .walker import label, quoted, quoted_either

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{3,49}")
_DESCRIPTION_FORBIDDEN = set("!<>'&\"\\")
_DAYS = re.compile(r"[0-9]{1,3}")
# \w is a letter of any script, a digit or _ (the SDK's ResourceTag)
_TAG_KEY = re.compile(r"[\w-]{1,36}")
_TAG_VALUE = re.compile(r"[\w .:/=+@-]{1,43}")
_EPOCH_MS = re.compile(r"[0-9]{1,16}")


def check(w, base, path):
    required = [
        (
            "job_type",
            "R-06",
            _("Choose a scenario (job_type): migration, sync or cloudDataGuard."),
        ),
        (
            "engine_type",
            "R-06",
            _("Choose an engine (engine_type): %(values)s.") % {"values": quoted(ENGINE_TYPES)},
        ),
        (
            "job_direction",
            "R-10",
            _("Choose a direction (job_direction): up, down or non-dbs."),
        ),
        (
            "task_type",
            "R-00",
            _("Choose a migration type (task_type): %(values)s.") % {"values": quoted(TASK_TYPES)},
        ),
        (
            "net_type",
            "R-00",
            _("Choose a network type (net_type): %(values)s.") % {"values": quoted(NET_TYPES)},
        ),
    ]
    if multi_write_allowed(w.job_type):
        required.append(
            (
                "multi_write",
                "R-07",
                _(
                    "Disaster recovery needs multi_write: true for dual-active, false for "
                    "single-active."
                ),
            )
        )
    w.walk(
        base,
        path,
        "base_info",
        {
            "name": partial(_name, w),
            "job_type": partial(_job_type, w),
            "multi_write": partial(_multi_write, w),
            "engine_type": partial(_engine_type, w),
            "job_direction": partial(_job_direction, w),
            "task_type": partial(_task_type, w),
            "net_type": partial(_net_type, w),
            "charging_mode": partial(_charging_mode, w),
            "enterprise_project_id": partial(_enterprise_project, w),
            "description": partial(_description, w),
            "start_time": partial(_start_time, w),
            "expired_days": partial(_expired_days, w),
            "tags": partial(_tags, w),
            "is_open_fast_clean": partial(_fast_clean, w),
        },
        required,
    )


def _name(w, value, path):
    if not _NAME.fullmatch(value):
        w.add(
            path,
            "R-01",
            _("Name must be 4–50 characters: letters, digits, - and _, starting with a letter."),
        )


def _description(w, value, path):
    if len(value) > 256:
        w.add(
            path,
            "R-02",
            _("Description must be at most 256 characters (it has %(count)s).")
            % {"count": len(value)},
        )
    elif _DESCRIPTION_FORBIDDEN.intersection(value):
        w.add(path, "R-02", _("Description must not contain any of ! < > ' & \" \\."))


def _expired_days(w, value, path):
    if not (_DAYS.fullmatch(value) and 14 <= int(value) <= 100):
        w.add(
            path,
            "R-03",
            _(
                "Expiry must be a whole number of days from 14 to 100, written as a string, "
                'e.g. "14".'
            ),
        )


def _tags(w, tags, path):
    if len(tags) > 20:
        w.add(
            path,
            "R-04",
            _("At most 20 tags are allowed (this list has %(count)s).") % {"count": len(tags)},
        )
    seen = set()

    def key(value, where):
        if not _TAG_KEY.fullmatch(value):
            w.add(
                where,
                "R-04",
                _("Tag key must be 1–36 characters: letters (any script), digits, _ and -."),
            )
        elif value in seen:
            w.add(
                where,
                "R-04",
                _('Tag key "%(key)s" is used more than once; keys must be unique.')
                % {"key": value},
            )
        seen.add(value)

    def tag_value(value, where):
        if not _TAG_VALUE.fullmatch(value):
            w.add(
                where,
                "R-04",
                _(
                    "Tag value must be 1–43 characters: letters (any script), digits, spaces "
                    "and _ . : / = + - @."
                ),
            )

    def tag(item, where):
        w.walk(
            item,
            where,
            "tag",
            {"key": key, "value": tag_value},
            [("key", "R-04", _("Each tag needs a key."))],
        )

    w.objects(tags, path, tag)


def _start_time(w, value, path):
    if not _EPOCH_MS.fullmatch(value):
        w.add(
            path,
            "R-05",
            _(
                "Start time must be Unix epoch milliseconds written as a string of digits, "
                'e.g. "1684466549755".'
            ),
        )
    elif w.now_ms is not None and int(value) <= w.now_ms:
        w.add(path, "R-05", _("Start time must be in the future."))


def _job_type(w, value, path):
    if value not in JOB_TYPES:
        w.add(
            path, "R-06", _("Scenario must be one of %(values)s.") % {"values": quoted(JOB_TYPES)}
        )
    elif w.engine and (value, w.engine) not in SCENARIOS:
        allowed = [job for job, engine in SCENARIOS if engine == w.engine]
        w.add(
            path,
            "R-06",
            _("%(engine)s allows only the scenario %(allowed)s.")
            % {"engine": label(w.engine), "allowed": quoted_either(allowed)},
        )


def _engine_type(w, value, path):
    if value not in ENGINE_TYPES:
        w.add(
            path, "R-06", _("Engine must be one of %(values)s.") % {"values": quoted(ENGINE_TYPES)}
        )


def _multi_write(w, value, path):
    if value is True and w.job_type and not multi_write_allowed(w.job_type):
        w.add(
            path,
            "R-07",
            _(
                "Dual-active (multi_write: true) applies only to disaster recovery "
                "(cloudDataGuard); set it to false or remove it."
            ),
        )


def _job_direction(w, value, path):
    if value not in JOB_DIRECTIONS:
        w.add(
            path,
            "R-10",
            _("Direction must be one of %(values)s.") % {"values": quoted(JOB_DIRECTIONS)},
        )
    elif w.engine and value not in directions_for(w.engine):
        allowed = directions_for(w.engine)
        w.add(
            path,
            "R-10",
            _(
                "%(engine)s tasks can only use direction %(allowed)s: the target is always a "
                "Huawei Cloud DB instance."
            )
            % {"engine": label(w.engine), "allowed": quoted_either(allowed)},
        )


def _task_type(w, value, path):
    if value not in TASK_TYPES:
        w.add(
            path,
            "R-00",
            _("Migration type must be one of %(values)s.") % {"values": quoted(TASK_TYPES)},
        )
    elif value not in task_types_for(w.job_type, w.multi_write):
        allowed = task_types_for(w.job_type, w.multi_write)
        w.add(
            path,
            "R-08",
            _("Single-active disaster recovery allows only %(values)s (full + incremental).")
            % {"values": quoted(allowed)},
        )


def _net_type(w, value, path):
    if value not in NET_TYPES:
        w.add(
            path,
            "R-00",
            _("Network type must be one of %(values)s.") % {"values": quoted(NET_TYPES)},
        )
    elif value not in net_types_for(w.job_type):
        allowed = quoted_either(net_types_for(w.job_type))
        w.add(
            path,
            "R-08",
            _("Disaster recovery cannot use a VPC network; choose %(allowed)s.")
            % {"allowed": allowed},
        )


def _charging_mode(w, value, path):
    if value not in CHARGING_MODES:
        w.add(
            path,
            "R-00",
            _("Billing mode must be one of %(values)s.") % {"values": quoted(CHARGING_MODES)},
        )


def _enterprise_project(w, value, path):  # null means not set
    if value is not None and not value.strip():
        w.add(
            path,
            "R-11",
            _(
                'Enterprise project ID must not be empty; use "0" for the default enterprise '
                "project, or leave it out."
            ),
        )


def _fast_clean(w, value, path):
    if value is True and w.engine and not fast_clean_allowed(w.engine):
        w.add(
            path,
            "R-09",
            _(
                "Fast binlog clearing applies only to MySQL → MySQL; set is_open_fast_clean to "
                "false or remove it."
            ),
        )
