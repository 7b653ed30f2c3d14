"""Dict-to-XML rendering in the Plex style, and the Accept-header switch Plex services use.

Plex (plex.tv and PMS) answers XML unless the client sends ``Accept: application/json``. In XML every
value is an attribute string, booleans are ``"1"``/``"0"``, lists become repeated child elements and
``None`` values are left out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree as ET

from flask import Response, request

TagFor = Callable[[str, dict[str, Any]], str]


def wants_json() -> bool:
    """True when the current request asked for JSON."""
    return "application/json" in request.headers.get("Accept", "").lower()


def attr(value: Any) -> str:
    """Plex attribute text for a JSON value."""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _default_tag(key: str, _item: dict[str, Any]) -> str:
    return key


def build(tag: str, data: dict[str, Any], tag_for: TagFor = _default_tag) -> ET.Element:
    """An element whose scalar values are attributes and whose lists/dicts are children."""
    elem = ET.Element(tag)
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    elem.append(build(tag_for(key, item), item, tag_for))
                else:
                    ET.SubElement(elem, key, {"tag": attr(item)})
        elif isinstance(value, dict):
            elem.append(build(key, value, tag_for))
        else:
            elem.set(key, attr(value))
    return elem


def to_bytes(elem: ET.Element) -> bytes:
    """Serialized document with the XML declaration Plex sends."""
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(elem, encoding="utf-8")


def xml_response(elem: ET.Element, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """An XML response in Plex's content type."""
    return Response(to_bytes(elem), status=status, headers=headers, content_type="text/xml;charset=utf-8")
