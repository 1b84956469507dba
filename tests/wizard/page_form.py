"""What a browser would post for a rendered form: its successful controls, as the page shows
them (checked boxes, the selected option or else the first, text as filled in, a textarea's
line breaks as CRLF)."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self._select = self._options = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and "name" in a and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "on")))
            elif kind not in ("file", "submit", "button", "image", "reset"):
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select" and "name" in a:
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and "name" in a:
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]]
            self.fields += [(self._select, v) for v in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            text = text[1:] if text.startswith("\n") else text
            self.fields.append((name, text.replace("\r\n", "\n").replace("\n", "\r\n")))
            self._textarea = None


def form_fields(html: str, form_id: str = "step-form") -> list[tuple[str, str]]:
    reader = _FormReader(form_id)
    reader.feed(html)
    return reader.fields


def form_data(html: str, form_id: str = "step-form") -> dict[str, list[str]]:
    """The fields as the test client posts them: {name: [values]}."""
    data: dict[str, list[str]] = {}
    for name, value in form_fields(html, form_id):
        data.setdefault(name, []).append(value)
    return data
