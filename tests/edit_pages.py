"""Reading an edit page as a browser would: the values it would send back, the error summary,
and the table of someone else's values beside the user's."""

import html
import re


def form_data(page: str) -> dict[str, str]:
    """What the browser would send back from the page as drawn: every input's value, each
    select's chosen option."""
    data: dict[str, str] = {}
    for tag in re.findall(r"<input\b[^>]*>", page):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag))
        if "name" not in attrs:
            continue
        if attrs.get("type") in ("radio", "checkbox") and " checked" not in tag:
            continue
        data[attrs["name"]] = html.unescape(attrs.get("value", ""))
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        data[name] = html.unescape(body.strip("\n"))
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen[1] if chosen else ""
    data.pop("csrfmiddlewaretoken", None)
    return data


def summary(page: str) -> list[str]:
    body = page.split('govuk-error-summary__list">', 1)[1].split("</ul>", 1)[0]
    return [
        html.unescape(re.sub(r"<[^>]+>", "", item)).strip()
        for item in re.findall(r"<li>(.*?)</li>", body, re.S)
    ]


def conflict_rows(page: str) -> list[list[str]]:
    table = page.split('id="version-conflict"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tbody.*?</tbody>", table, re.S)[0]
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", rows, re.S)
    ]
