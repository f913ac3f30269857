"""Open311 answers in XML (required by the standard) and JSON (the Spark convention: the same
tree, lists as arrays without their wrapper element), UTF-8, from one Python structure."""

import json
import re
from xml.etree import ElementTree as ET

from django.http import HttpResponse

CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
# A list's element name in XML → the name of each item in it.
ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
# Characters XML 1.0 cannot carry, even escaped: left out rather than making the answer invalid.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return NOT_XML.sub("", str(value))


def _element(tag: str, value) -> ET.Element:
    element = ET.Element(tag)
    if isinstance(value, dict):
        for key, child in value.items():
            element.append(_element(key, child))
    elif isinstance(value, list):
        for child in value:
            element.append(_element(ITEMS[tag], child))
    else:
        element.text = _text(value)
    return element


def xml(root: str, value) -> str:
    body = ET.tostring(_element(root, value), encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}'


def respond(fmt: str, root: str, value, status: int = 200) -> HttpResponse:
    content = json.dumps(value, ensure_ascii=False) if fmt == "json" else xml(root, value)
    return HttpResponse(content.encode(), status=status, content_type=CONTENT_TYPES[fmt])


def errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    body = [{"code": status, "description": str(d)} for d in descriptions]
    return respond(fmt, "errors", body, status=status)
