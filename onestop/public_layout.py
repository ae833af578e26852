"""The layout (base.html) as an anonymous visitor sees it, drawn once per process and language instead of on every
page: a public page then draws only its own blocks.

Why: the status page on a file not asked before is one statement and one template, on the page citizens open most;
of its template, about a third is base.html (header, navigation, footer: a dozen texts translated, the visitor's
sign-in state, the messages waiting, addresses). For a visitor who is not signed in and has no message waiting,
all of that is the same on every page in one language, except the address of the page itself in the two language
links of the footer.

How: base.html is drawn once per language (and script root), every block replaced by a marker and the page's
address by another; the text between markers is kept. A page is then the kept texts with the page's own blocks
(rendered by Jinja from the page's template, exactly as a full render would, `super()` included) between them, and
its address, encoded as url_for encodes it, in the footer's links.

- A signed-in visitor (the staff menu, the sign-out form's CSRF token) or a message waiting (flash) gets the full
  render, as does a template whose top level holds more than its `extends` and its blocks (an import outside a
  block would run only in a full render): `render_template` below decides, the page does not have to.
- What base.html draws for such a visitor must not change while the process runs (today: texts, fixed addresses,
  the language): a site setting shown in the header would need its own marker, or the full render.
- tests/test_public_layout.py checks that both give the same bytes for the same request.
"""
import re
import threading
from urllib.parse import quote_plus

from flask import current_app, render_template as full_render, request, session
from flask.signals import before_render_template, template_rendered
from flask_babel import get_locale
from flask_login import current_user
from jinja2 import nodes
from markupsafe import escape

BLOCK = "\x00block:{}\x00"
SPLIT = re.compile("\x00block:([A-Za-z0-9_]+)\x00")
HERE = "onestop-this-page-address"  # the page's address in the footer's language links, quoted by url_for as is
URL_SAFE = "!$'()*,/:;?@"  # werkzeug's query encoding (werkzeug.urls._urlencode), which url_for uses
_lock = threading.Lock()


def _kept(app) -> tuple[dict, dict]:
    """This app's layouts drawn, by (layout, language, script root), and its templates' shapes."""
    return app.extensions.setdefault("onestop_public_layout", ({}, {}))


def render_template(name: str, **context) -> str:
    """render_template, with the layout kept when the visitor is anonymous and has no message waiting."""
    app = current_app._get_current_object()
    template = app.jinja_env.get_template(name)
    parent = _parent(app, template)
    if parent is None or session.get("_flashes") or current_user.is_authenticated:
        return full_render(name, **context)
    app.update_template_context(context)
    before_render_template.send(app, _async_wrapper=app.ensure_sync, template=template, context=context)
    page = _draw(app, template, parent, context)
    template_rendered.send(app, _async_wrapper=app.ensure_sync, template=template, context=context)
    return page


def _parent(app, template):
    """The layout a template extends, if its top level is only that `extends` and blocks; else None."""
    shapes = _kept(app)[1]
    shape = shapes.get(template)
    if shape is None:
        source = app.jinja_env.loader.get_source(app.jinja_env, template.name)[0]
        shape = shapes[template] = (plain_parent(app.jinja_env, source),)
    return app.jinja_env.get_template(shape[0]) if shape[0] else None


def plain_parent(env, source: str) -> str | None:
    """The name a template's source extends when its top level holds nothing but that `extends` and blocks (and
    blank text), else None: code at the top level (an import, a `set`) runs only in a full render."""
    body = env.parse(source).body
    extends = [node for node in body if isinstance(node, nodes.Extends)]
    plain = all(isinstance(node, (nodes.Extends, nodes.Block)) or (
        isinstance(node, nodes.Output) and all(isinstance(part, nodes.TemplateData) and not part.data.strip()
                                               for part in node.nodes)) for node in body)
    if plain and len(extends) == 1 and isinstance(extends[0].template, nodes.Const):
        return extends[0].template.value
    return None


def _layout(app, parent) -> tuple[list[str], list[str]]:
    """The parent drawn for an anonymous visitor in this request's language: its texts between blocks, and the
    blocks' names in the order they come."""
    drawn = _kept(app)[0]
    key = (parent, str(get_locale()), request.script_root)
    found = drawn.get(key)
    if found is None:
        skeleton = app.jinja_env.from_string(
            "{% extends parent %}" + "".join(f"{{% block {name} %}}{BLOCK.format(name)}{{% endblock %}}"
                                             for name in parent.blocks))
        context = {"parent": parent}
        app.update_template_context(context)
        context["current_path"] = HERE
        pieces = SPLIT.split(skeleton.render(context))
        found = (pieces[0::2], pieces[1::2])
        with _lock:
            if len(drawn) > 64:  # templates reloaded in development: each reload a new key
                drawn.clear()
            drawn[key] = found
    return found


def _draw(app, template, parent, context) -> str:
    texts, names = _layout(app, parent)
    here = str(escape(quote_plus(context["current_path"], safe=URL_SAFE)))
    jinja = template.new_context(context)
    for name, block in parent.blocks.items():  # as `{% extends %}` does: the page's blocks first, then the layout's
        jinja.blocks.setdefault(name, []).append(block)
    out = [texts[0].replace(HERE, here)]
    for name, text in zip(names, texts[1:]):
        out.append(app.jinja_env.concat(jinja.blocks[name][0](jinja)))
        out.append(text.replace(HERE, here) if HERE in text else text)
    return "".join(out)
