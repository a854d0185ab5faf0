"""Reading a page's form laid out by forms/_form.html, for the tests of refused forms: where each error sits,
what the summary links to, what the boxes hold."""

from django.test.html import Element


def find(node, **attrs) -> Element | None:
    """The first element under ``node`` whose attributes include ``attrs`` (``class_`` for class)."""
    wanted = {k.rstrip("_"): v for k, v in attrs.items()}
    for child in node.children if isinstance(node, Element) else ():
        if not isinstance(child, Element):
            continue
        got = dict(child.attributes)
        if all(v in (got.get(k) or "").split() if k == "class" else got.get(k) == v for k, v in wanted.items()):
            return child
        if (found := find(child, **attrs)) is not None:
            return found
    return None


def elements(node) -> list[Element]:
    """Every element under ``node``, in document order."""
    out = []
    for child in node.children:
        if isinstance(child, Element):
            out.append(child)
            out.extend(elements(child))
    return out


def assert_error_follows_its_field(page: Element, name: str, *, ticks: bool = False, ids: str = "id") -> str:
    """The field's block holds its box, then its error; the box (for ticks, their fieldset) names the error in
    aria-describedby.  ``ids``: what the form's box ids start with (a page with several forms gives each its
    own).  Returns the error's text."""
    name = f"{ids}_{name}"
    block = find(page, id=f"{name}_field")
    assert block is not None, f"no block for {name}"
    error = find(block, id=f"{name}_error")
    assert error is not None and "errorlist" in dict(error.attributes)["class"], f"no error under {name}"
    in_order = elements(block)
    if ticks:
        box = find(block, class_="checklist-box")
        described = next(e for e in in_order if e.name == "fieldset")
    else:
        box = described = find(block, id=name)
    assert box is not None, f"no box for {name}"
    assert f"{name}_error" in dict(described.attributes).get("aria-describedby", "").split()
    # The error comes after the box: directly under it, not above the label or below another field.
    assert in_order.index(box) < in_order.index(error)
    return "".join(str(c) for c in error.children)


def text_of(node) -> str:
    """The text under ``node``, its tags dropped."""
    return "".join(text_of(c) if isinstance(c, Element) else str(c) for c in node.children)


def summary_links(page: Element) -> list[str]:
    summary = find(page, class_="form-summary")
    assert summary is not None and dict(summary.attributes)["role"] == "alert"
    return [dict(a.attributes)["href"] for a in elements(summary) if a.name == "a"]


def kept(page: Element, box_id: str):
    """What a box shows: a text box's value, a textarea's text, a list's chosen value, or the ticked values of a
    list of ticks (whose block is ``{box_id}_field``)."""
    box = find(page, id=box_id)
    if box is None or box.name == "div":  # ticks: their list (or their block, when the list has no id)
        block = box or find(page, id=f"{box_id}_field")
        return [dict(e.attributes)["value"] for e in elements(block)
                if e.name == "input" and "checked" in dict(e.attributes)]
    if box.name == "textarea":
        return "".join(str(c) for c in box.children).strip()
    if box.name == "select":
        chosen = [dict(o.attributes).get("value") for o in elements(box) if "selected" in dict(o.attributes)]
        return chosen[0] if len(chosen) == 1 else chosen
    return dict(box.attributes).get("value")
