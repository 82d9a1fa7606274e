"""``create_soap_app(wsdl)``: a Flask app serving every SOAP port of a WSDL 1.1 or 2.0 contract.

Requests are dispatched per port path by SOAPAction (1.1) / the ``action`` content-type parameter
(1.2), else by the first body element; document-literal requests are validated against the XSD.
Responses are schema-valid instances of the output message; ``--seed`` makes them depend only on
the seed, the operation and the request bytes. ``GET <path>?wsdl`` returns the WSDL with the mock's
addresses, and imported files are served beside it so clients such as zeep can load the contract.
"""

from __future__ import annotations

import hashlib
import random
import re
import time
from pathlib import Path
from typing import Any

from flask import Flask, Response, request

from specforge.document.source import read_text
from specforge.document.workspace import display_path
from specforge.errors import InputError
from specforge.mock.access_log import RequestLog, configure
from specforge.mock.soap.contract import Part, SoapOperation, SoapPort, build_ports
from specforge.mock.soap.envelope import CONTENT_TYPES, Request, SoapFault, envelope, fault, parse_request
from specforge.mock.soap.instances import InstanceGenerator, Node, to_xml
from specforge.mock.soap.schema import SchemaUnavailable, build_schema, serialize
from specforge.wsdl.loader import load_wsdl
from specforge.wsdl.model import WsdlDocument

MAX_REQUEST_BYTES = 2 * 1024 * 1024
_NOTE = "X-Specforge-Note"
_ACTION = re.compile(r'action\s*=\s*"?([^";]*)"?', re.IGNORECASE)


def create_soap_app(wsdl_path: str | Path, *, seed: int | None = None, base_url: str | None = None,
                    paths: dict[str, str] | None = None, validate: bool = True, cors: bool = True,
                    delay_ms: int = 0, log_format: str = "text", ref_root: str | Path | None = None,
                    **_ignored: Any) -> Flask:
    """A mock of every SOAP port in ``wsdl_path``; raises ``InputError`` (one line) for unusable contracts.

    ``paths`` maps port names to the paths they are served on (default: the path of each address);
    ``base_url`` is the address advertised in ``?wsdl`` (default: the URL the client used). Imported WSDL
    and XSD files are read (and served) only below ``ref_root``, by default the WSDL's folder.
    """
    path = Path(wsdl_path)
    shown = display_path(path) if path.is_absolute() else str(wsdl_path)
    document = load_wsdl(read_text(path, shown), shown, path, root_dir=Path(ref_root) if ref_root else None)
    ports = build_ports(document, paths)
    if not ports:
        raise InputError(shown, "has no SOAP 1.1 or 1.2 port to mock (a service/port with soap:address, a SOAP "
                                "binding, or a WSDL 2.0 endpoint of a SOAP binding)")
    configure(log_format)
    log = RequestLog(log_format)
    notes: list[str] = []
    try:
        schema = build_schema(document, notes)
    except SchemaUnavailable as exc:
        log.event("warning", detail=f"{exc}; responses will hold empty part elements")
        schema = None
    for note in notes:
        log.event("warning", detail=note)
    mock = SoapMock(document, ports, schema, seed=seed, base_url=base_url, validate=validate, cors=cors,
                    delay_ms=delay_ms, log=log)
    for port in ports:
        mock.log.event("serving", port=port.name, soap=port.version, path=port.path, operations=len(port.operations))
    app = Flask("specforge.mock.soap")
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.extensions["specforge.mock.soap"] = mock
    methods = ["GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH", "HEAD"]
    app.add_url_rule("/", "soap_root", mock.handle, defaults={"route": ""}, methods=methods)
    app.add_url_rule("/<path:route>", "soap", mock.handle, methods=methods)
    app.register_error_handler(413, mock.too_large)
    return app


class SoapMock:
    """The request handler: routing by path and SOAP version, dispatch, validation and responses."""

    def __init__(self, document: WsdlDocument, ports: list[SoapPort], schema: Any, *, seed: int | None,
                 base_url: str | None, validate: bool, cors: bool, delay_ms: int, log: RequestLog) -> None:
        self.document = document
        self.ports = ports
        self.schema = schema
        self.seed = seed
        self.base_url = base_url.rstrip("/") if base_url else None
        self.validate = validate and schema is not None and not schema.all_errors
        self.cors = cors
        self.delay_ms = delay_ms
        self.log = log
        self.routes: dict[str, list[SoapPort]] = {}
        for port in ports:
            self.routes.setdefault(port.path, []).append(port)
        root_dir = Path(document.root.location).parent
        self.files = {_relative(Path(f.location), root_dir): f.text for f in document.files[1:]}

    # -- HTTP ------------------------------------------------------------------------------------------------
    def handle(self, route: str) -> Response:
        start = time.perf_counter()
        response = self._handle("/" + route)
        note = response.headers.pop(_NOTE, "")  # what the log line says; not sent to the client
        self.log.request(request.method, request.full_path.rstrip("?"), response.status_code, note, [],
                         time.perf_counter() - start)
        return response

    def _handle(self, path: str) -> Response:
        if self.delay_ms:
            time.sleep(self.delay_ms / 1000)
        if request.method == "OPTIONS" and self.cors:
            return self._finish(Response(status=204, headers={
                "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                "Access-Control-Allow-Headers": "Content-Type, SOAPAction, Authorization"}))
        if request.method in ("GET", "HEAD"):
            return self._finish(self._get(path))
        if request.method != "POST":
            return self._finish(Response(f"{request.method} is not allowed; POST SOAP envelopes here\n", 405,
                                         {"Allow": "GET, POST"}, mimetype="text/plain"))
        ports = self.routes.get(path)
        if not ports:
            known = ", ".join(sorted(self.routes))
            return self._finish(Response(f"no SOAP port is served at {path}; ports: {known}\n", 404,
                                         mimetype="text/plain"))
        return self._finish(self._post(ports))

    def too_large(self, _error: Exception) -> Response:
        """Bodies over ``MAX_REQUEST_BYTES`` get a fault, not an HTML error page."""
        version = "1.2" if "soap+xml" in request.headers.get("Content-Type", "").lower() else "1.1"
        response = self._fault(version, SoapFault(f"the request is larger than {MAX_REQUEST_BYTES} bytes"))
        response.status_code = 413
        response.headers.pop(_NOTE, None)
        return self._finish(response)

    def _finish(self, response: Response) -> Response:
        if self.cors:
            response.headers["Access-Control-Allow-Origin"] = "*"
        return response

    def _get(self, path: str) -> Response:
        if any(key.lower() == "wsdl" for key in request.args):
            return Response(self.advertised_wsdl(), mimetype="text/xml")
        for relative, text in self.files.items():
            if path.endswith("/" + relative):
                return Response(text, mimetype="text/xml")
        if path in self.routes:
            return Response(f"SOAP endpoint: POST envelopes here, or GET {path}?wsdl\n", 200, mimetype="text/plain")
        return Response(f"not found: {path}\n", 404, mimetype="text/plain")

    def advertised_wsdl(self) -> str:
        """The WSDL text with every mocked port's address pointing at this mock."""
        base = self.base_url or request.host_url.rstrip("/")
        text = self.document.root.text
        edits = []
        for port in self.ports:
            address = port.address
            if address is None:
                continue
            start = address.file.offset(address.line, address.column)
            pattern = r"\s" + port.address_attr + r"""\s*=\s*(["'])(.*?)\1"""
            match = re.compile(pattern, re.S).search(text, start)
            if match and match.start() < text.find(">", start):
                edits.append((match.start(2), match.end(2), base + port.path))
        for begin, end, value in sorted(edits, reverse=True):
            text = text[:begin] + value + text[end:]
        return text

    def _post(self, ports: list[SoapPort]) -> Response:
        content_type = request.headers.get("Content-Type", "")
        guessed = "1.2" if "soap+xml" in content_type.lower() else "1.1"
        data = request.get_data(cache=False)
        try:
            parsed = parse_request(data)
        except SoapFault as exc:
            return self._fault(guessed if len(ports) > 1 else ports[0].version, exc)
        same_version = [p for p in ports if p.version == parsed.version]
        if not same_version:
            wanted = " or ".join(sorted({p.version for p in ports}))
            return self._fault(ports[0].version, SoapFault(f"this port speaks SOAP {wanted}, the request is SOAP "
                                                           f"{parsed.version}", version_mismatch=True))
        try:
            port, operation = self._dispatch(same_version, parsed, content_type)
            self._check(operation, parsed)
            if operation.one_way:
                return Response(status=202)
            body = self._respond(port, operation, data)
        except SoapFault as exc:
            return self._fault(parsed.version, exc)
        return Response(body, 200, content_type=CONTENT_TYPES[port.version],
                        headers={_NOTE: f"{port.name}.{operation.name}"})

    def _fault(self, version: str, error: SoapFault) -> Response:
        text, status = fault(version, error)
        return Response(text, status, content_type=CONTENT_TYPES[version],
                        headers={_NOTE: "fault"})

    # -- SOAP ------------------------------------------------------------------------------------------------
    def _dispatch(self, ports: list[SoapPort], parsed: Request, content_type: str) -> tuple[SoapPort, SoapOperation]:
        """The port and operation a request is for (several ports may share a path and SOAP version)."""
        if parsed.version == "1.1":
            action = request.headers.get("SOAPAction", "").strip().strip('"')
        else:
            match = _ACTION.search(content_type)
            action = match.group(1).strip() if match else ""
        element = parsed.body_element
        qname = (element.ns, element.local) if element is not None else None
        candidates = [(port, op) for port in ports for op in port.operations]
        by_action = [c for c in candidates if action and c[1].action == action]
        by_body = [c for c in candidates if qname is not None and c[1].request == qname]
        both = [c for c in by_action if c in by_body]
        chosen = both or (by_action if len(by_action) == 1 else []) or by_body or by_action
        if chosen:
            return chosen[0]
        shown = f"{{{qname[0]}}}{qname[1]}" if qname else "(empty body)"
        names = ", ".join(op.name for _, op in candidates) or "none"
        where = f'port "{ports[0].name}"' if len(ports) == 1 else f"ports {', '.join(p.name for p in ports)}"
        raise SoapFault(f'no operation of {where} matches SOAPAction "{action}" or body element {shown}; '
                        f"operations: {names}")

    def _check(self, operation: SoapOperation, parsed: Request) -> None:
        element = parsed.body_element
        if operation.request is not None and element is None:
            raise SoapFault(f'operation "{operation.name}" expects body element '
                            f"{{{operation.request[0]}}}{operation.request[1]}, the Body is empty")
        if element is not None and operation.request is not None and (element.ns, element.local) != operation.request:
            raise SoapFault(f'operation "{operation.name}" expects body element {{{operation.request[0]}}}'
                            f"{operation.request[1]}, got {{{element.ns}}}{element.local}")
        if not self.validate or operation.style != "document" or element is None:
            return
        if f"{{{element.ns}}}{element.local}" not in self.schema.maps.elements:
            return
        for error in self.schema.iter_errors(serialize(element)):
            where = f" at {error.path}" if getattr(error, "path", None) else ""
            reason = (error.reason or str(error)).splitlines()[0]
            raise SoapFault(f'invalid request for operation "{operation.name}"{where}: {reason}')

    def _respond(self, port: SoapPort, operation: SoapOperation, data: bytes) -> str:
        rng = random.Random(f"{self.seed}:{port.name}:{operation.name}:{hashlib.sha256(data).hexdigest()}") \
            if self.seed is not None else random.Random()
        generator = InstanceGenerator(self.schema, rng)
        parts = [self._part(generator, part) for part in operation.response_parts]
        if operation.style == "rpc":
            ns, local = operation.response_wrapper
            body = [Node(f"{{{ns}}}{local}" if ns else local, children=parts)]
        else:
            body = parts
        headers = [self._part(generator, part) for part in operation.response_headers]
        return envelope(port.version, to_xml(body), to_xml(headers))

    @staticmethod
    def _part(generator: InstanceGenerator, part: Part) -> Node:
        if part.element is not None:
            node = generator.element(part.element)
            if node is not None:
                return node
            ns, local = part.element
            return Node(f"{{{ns}}}{local}" if ns else local, text="")
        return generator.typed(part.name, part.type)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name
