"""Real HTTP clients for tests against a served app: a cookie jar, form scraping as a browser would submit it."""
import http.cookiejar
import json
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """One user's browser (cookies kept) or script (a bearer token), talking to base_url."""

    def __init__(self, base_url: str, token: str | None = None):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())

    def request(self, method: str, path: str, *, data: dict | list | None = None, json_body=None,
                headers: dict | None = None, timeout: float = 60) -> Response:
        headers = dict(headers or {})
        body = None
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        elif data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.base_url + path, data=body, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return Response(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, error.headers, error.read())

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def form(self, path: str, action: str | None = None) -> dict[str, list[str]]:
        """The fields of the page's form that posts to `action` (default: the page itself), as a browser would
        submit them (the CSRF token included)."""
        page = self.get(path)
        assert page.status == 200, (path, page.status)
        parser = FormFields()
        parser.feed(page.text)
        wanted = action or path
        for form_action, fields in parser.forms:
            if (form_action or path).split("?")[0] in (wanted, self.base_url + wanted):
                return fields
        raise AssertionError(f"no form posting to {wanted} on {path}: {[a for a, _ in parser.forms]}")

    def login(self, username: str, password: str = "demo") -> Response:
        fields = self.form("/login")
        fields.update(username=[username], password=[password])
        return self.post("/login", data=fields)


class FormFields(HTMLParser):
    """Every form of a page: (action, successful controls), as a browser would submit each."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, list[str]]]] = []
        self.fields = None
        self.select = self.textarea = self.select_first = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.fields = {}
            self.forms.append((attrs.get("action") or "", self.fields))
            return
        if self.fields is None:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file", "reset"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.setdefault(name, []).append(attrs.get("value", "on" if attrs.get("type") == "checkbox" else ""))
        elif tag == "select" and name:
            self.select, self.select_first = name, None
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            if self.select_first is None:
                self.select_first = value
            if "selected" in attrs:
                self.fields[self.select] = [value]
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields[name] = [""]

    def handle_endtag(self, tag):
        if tag == "form":
            self.fields = None
        elif tag == "select" and self.select:
            if self.fields is not None:
                self.fields.setdefault(self.select, [self.select_first or ""])
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea and self.fields is not None:
            self.fields[self.textarea][0] += data
