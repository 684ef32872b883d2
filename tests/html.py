"""Read a page the way a person (or a screen reader) does: labels, text, fields."""

import re
from html import unescape
from html.parser import HTMLParser


class _Labels(HTMLParser):
    def __init__(self):
        super().__init__()
        self.labels = {}
        self._for = None
        self._text = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag == "label":
            self._for = dict(attrs).get("for", "")
            self._text = []
        elif (
            tag == "span"
            and self._for is not None
            and "asteriskField" in (dict(attrs).get("class") or "")
        ):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "label" and self._for is not None:
            self.labels[" ".join("".join(self._text).split())] = self._for
            self._for = None
        elif tag == "span" and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if self._for is not None and not self._skip:
            self._text.append(data)


def labels(response):
    """{label text: id of the field it labels} for every <label> on the page."""
    parser = _Labels()
    parser.feed(response.content.decode())
    return parser.labels


def text(response):
    """The page's visible text with whitespace folded."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def figures(response):
    """{term: value} for each <dt> and the first <dd> after it."""
    html = response.content.decode()
    pairs = re.findall(
        r"<dt>\s*(.*?)\s*</dt>\s*<dd[^>]*>\s*(.*?)\s*</dd>", html, flags=re.S
    )
    return {" ".join(term.split()): " ".join(value.split()) for term, value in pairs}


class _Form(HTMLParser):
    def __init__(self, action):
        super().__init__()
        self.action, self.inside, self.values = action, False, {}
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action") == self.action
        elif self.inside and tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.values.setdefault(attrs["name"], []).append(
                        attrs.get("value", "on")
                    )
            else:
                self.values[attrs["name"]] = attrs.get("value", "")
        elif self.inside and tag == "textarea":
            self._textarea = attrs["name"]
            self.values[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None


def form_values(response, action):
    """What a browser would submit from the form posting to `action`, untouched:
    {name: value}, with a list for ticked checkboxes and radios."""
    parser = _Form(action)
    parser.feed(response.content.decode())
    return parser.values


def day_links(response):
    """{href: accessible name} of every link named by an aria-label (heatmap days)."""
    found = re.findall(
        r'<a href="([^"]*)" aria-label="([^"]*)"', response.content.decode()
    )
    return {unescape(href): unescape(name) for href, name in found}


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table(response, *header):
    """The rows (lists of cell texts, header row left out) of the first table whose
    header row starts with `header`."""
    parser = _Tables()
    parser.feed(response.content.decode())
    for rows in parser.tables:
        if rows and rows[0][: len(header)] == list(header):
            return rows[1:]
    raise AssertionError(f"No table with the header {header}")
