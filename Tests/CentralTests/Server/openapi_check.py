#!/usr/bin/env python3
"""Checks a running checkpoint-central against its OpenAPI document, driven by the document alone.

For every operation an administrator token may call:
- each query parameter's documented constraint (enum, minimum, maximum, minLength, maxLength,
  pattern) is violated in turn, the other required parameters given their documented example:
  the server must answer 400, while the same request without the violation must not be 400;
- a request body whose schema has an `example`: the example is accepted (not 4xx except 409);
  with an extra field it is refused with 400 when the schema says `additionalProperties: false`;
  each string property's constraint violated in turn is refused with 400.

Usage: openapi_check.py DOCUMENT BASE_URL ADMIN_TOKEN. Prints one JSON array of
{"check", "status", "ok"} and exits 0 (the caller judges the results).
"""
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

import yaml

doc_path, base, token = sys.argv[1:4]
with open(doc_path, encoding="utf-8") as f:
    doc = yaml.safe_load(f)

PATH_VALUES = {"gate": "g2", "level": "gate", "id": "g1", "alert": "1", "username": "nobody", "file": "app.css"}
results = []


def resolve(node):
    while isinstance(node, dict) and "$ref" in node:
        parts = node["$ref"].lstrip("#/").split("/")
        node = doc
        for part in parts:
            node = node[part]
    return node


def send(method, path, body=None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        error.read()
        return error.code


def record(check, status, ok):
    results.append({"check": check, "status": status, "ok": bool(ok)})


def violations(schema):
    """(what, value) pairs that break one documented constraint each."""
    found = []
    if "enum" in schema:
        found.append(("not in enum", "not-a-listed-value"))
    if "minimum" in schema:
        found.append(("below minimum", schema["minimum"] - 1))
    if "maximum" in schema:
        found.append(("above maximum", schema["maximum"] + 1))
    if schema.get("minLength", 0) > 0:
        found.append(("shorter than minLength", ""))
    if "maxLength" in schema:
        found.append(("longer than maxLength", "x" * (schema["maxLength"] + 1)))
    if "pattern" in schema:
        found.append(("against pattern", "not valid!"))
    return found


def admin_operation(op):
    return any("adminToken" in requirement for requirement in op.get("security") or [])


for path, item in doc["paths"].items():
    concrete = path
    for name, value in PATH_VALUES.items():
        concrete = concrete.replace("{%s}" % name, value)
    for method, op in item.items():
        if method not in ("get", "post") or not admin_operation(op):
            continue
        if "text/event-stream" in op.get("responses", {}).get("200", {}).get("content", {}):
            continue  # an endless stream: its constraints are checked by its own tests
        operation = "%s %s" % (method.upper(), path)
        params = [resolve(p) for p in op.get("parameters", [])]
        query = [p for p in params if p.get("in") == "query"]
        required = {}
        usable = True
        for p in query:
            if p.get("required"):
                example = p.get("example", resolve(p.get("schema", {})).get("example"))
                if example is None:
                    usable = False
                required[p["name"]] = example
        if usable and query and method == "get":
            baseline = send("GET", concrete + ("?" + urllib.parse.urlencode(required) if required else ""))
            record("%s with its required parameters only is not refused" % operation, baseline, baseline != 400)
            for p in query:
                for what, value in violations(resolve(p.get("schema", {}))):
                    values = dict(required)
                    values[p["name"]] = value
                    status = send("GET", concrete + "?" + urllib.parse.urlencode(values))
                    record("%s ?%s %s" % (operation, p["name"], what), status, status == 400)
        body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        schema = resolve(body) if body else None
        if not schema or "example" not in schema:
            continue
        example = schema["example"]
        status = send(method.upper(), concrete, example)
        record("%s documented example is accepted" % operation, status, status < 400 or status == 409)
        if schema.get("additionalProperties") is False:
            extra = dict(example, unexpectedField=True)
            status = send(method.upper(), concrete, extra)
            record("%s body with an undocumented field" % operation, status, status == 400)
        for name, prop in (schema.get("properties") or {}).items():
            prop = resolve(prop)
            if prop.get("type") != "string" and "enum" not in prop and "pattern" not in prop:
                continue
            for what, value in violations(prop):
                changed = dict(example)
                changed[name] = value
                status = send(method.upper(), concrete, changed)
                record("%s body field %s %s" % (operation, name, what), status, status == 400)

print(json.dumps(results, ensure_ascii=False))
