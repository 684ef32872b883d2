"""The import pages driven as a browser drives them: upload, preview, "Import"
with whatever the preview's form holds."""

import re

from tests.transfer.files import upload


def send(client, content, name="file.csv"):
    return client.post("/accounts/import/", {"file": upload(content, name)})


def preview_text(client, query=""):
    response = client.get("/accounts/import/preview/" + query)
    assert response.status_code == 200
    return response.content.decode()


def form_fields(html):
    """What the preview's form sends: its hidden fields and the habit selected."""
    fields = dict(
        re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html)
    )
    fields.pop("csrfmiddlewaretoken", None)
    selected = re.search(r'<option value="(\d+)" selected>', html)
    if selected:
        fields["habit"] = selected.group(1)
    return fields


def press_import(client, html=None, **changes):
    """Press "Import" on the preview page `html` (by default, the page as it is
    now), after `changes` to its fields (a habit chosen in the menu, say)."""
    fields = form_fields(html if html is not None else preview_text(client))
    return client.post(
        "/accounts/import/confirm/", {**fields, "action": "import", **changes}
    )
