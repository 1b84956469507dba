"""What a page shows of an ordinary (crispy-rendered) form: a field's error and its value."""

import html
import re


def field_error(page: str, field_id: str) -> str:
    """The error shown under the input `field_id`, "" if none; an error is only counted when the
    input is marked invalid and points at it (aria-describedby), as a screen reader finds it."""
    tag = re.search(rf'<(?:input|select|textarea)\b[^>]*\bid="{re.escape(field_id)}"[^>]*>', page)
    assert tag, f"no input {field_id} on the page"
    described = re.search(r'aria-describedby="([^"]*)"', tag[0])
    if 'aria-invalid="true"' not in tag[0] or not described \
            or f"{field_id}_error" not in described[1].split():
        return ""
    shown = re.search(
        rf'<div id="{re.escape(field_id)}_error" class="invalid-feedback">(.*?)</div>', page, re.S)
    assert shown, f"{field_id} points at an error the page does not show"
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", shown[1]).split()))


def textarea_text(page: str, field_id: str) -> str:
    """The text a textarea shows (a browser drops the newline right after the tag)."""
    found = re.search(rf'<textarea\b[^>]*\bid="{re.escape(field_id)}"[^>]*>\n?(.*?)</textarea>',
                      page, re.S)
    assert found, f"no textarea {field_id} on the page"
    return html.unescape(found[1])
