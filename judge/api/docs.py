"""/api/docs: the API's reference, rendered on the server from its OpenAPI document.

No viewer script runs in the browser (the site's CSP allows only its own scripts and
styles): the page is plain HTML built from the same document as /api/v1/openapi.json.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, current_app, render_template, url_for

blp = Blueprint("api_docs", __name__)
METHODS = ("get", "post", "put", "patch", "delete")
# Examples on the page; BASE becomes this server's API address.
EXAMPLES = {
    "curl": """export JUDGE_TOKEN=...
curl BASE/competitions
curl -H "Authorization: Bearer $JUDGE_TOKEN" \\
     -F file=@predictions.csv -F description="first try" \\
     BASE/problems/PROBLEM_ID/submissions
curl -H "Authorization: Bearer $JUDGE_TOKEN" BASE/submissions/SUBMISSION_ID""",
    "Python": """import os, time, requests

api = "BASE"
auth = {"Authorization": f"Bearer {os.environ['JUDGE_TOKEN']}"}
with open("predictions.csv", "rb") as file:
    accepted = requests.post(f"{api}/problems/PROBLEM_ID/submissions", headers=auth,
                             files={"file": file}, data={"description": "first try"}).json()
while (status := requests.get(accepted["status_url"], headers=auth).json())["status"] == "queued":
    time.sleep(1)
print(status["status"], status.get("public_score"))""",
}


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    secured: bool
    parameters: list[dict]
    body: list[tuple[str, str]]  # (content type, schema name)
    responses: list[tuple[str, str, str]]  # (status, description, schema name)

    @property
    def anchor(self) -> str:
        return f"{self.method}-{self.path}".replace("/", "-").replace("{", "").replace("}", "")


@dataclass
class Tag:
    name: str
    description: str
    operations: list[Operation] = field(default_factory=list)


def schema_name(schema: dict | None) -> str:
    """``Problem`` for a $ref, ``Problem[]`` for an array of them, else the plain type."""
    schema = schema or {}
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return schema_name(schema.get("items")) + "[]"
    return schema.get("format") or schema.get("type") or ""


def _operation(path: str, method: str, item: dict, shared: list[dict]) -> Operation:
    content = (item.get("requestBody") or {}).get("content", {})
    return Operation(
        method=method,
        path=path,
        summary=item.get("summary", ""),
        description=item.get("description", ""),
        secured=bool(item.get("security")),
        parameters=[*shared, *item.get("parameters", [])],
        body=[(kind, schema_name(media.get("schema"))) for kind, media in content.items()],
        responses=[_response(status, answer) for status, answer in item["responses"].items()],
    )


def _response(status: str, answer: dict) -> tuple[str, str, str]:
    media = next(iter(answer.get("content", {}).values()), {})
    return status, answer.get("description", ""), schema_name(media.get("schema"))


def reference(document: dict) -> list[Tag]:
    """The document's operations grouped by tag, in the document's order."""
    tags = {tag["name"]: Tag(tag["name"], tag.get("description", "")) for tag in document["tags"]}
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                operation = _operation(path, method, item[method], item.get("parameters", []))
                for tag in item[method].get("tags", []):
                    tags[tag].operations.append(operation)
    return [tag for tag in tags.values() if tag.operations]


def document() -> dict:
    return current_app.extensions["judge_api"].spec.to_dict()


@blp.get("/api/docs")
def show():
    spec = document()
    base = url_for("api_docs.show", _external=True).removesuffix("/docs") + "/v1"
    return render_template(
        "api/docs.html",
        spec=spec,
        tags=reference(spec),
        schemas=spec["components"]["schemas"],
        schema_name=schema_name,
        base=base,
        examples={name: code.replace("BASE", base) for name, code in EXAMPLES.items()},
    )
