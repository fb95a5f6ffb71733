"""The published JSON Schema of an article record, and a validator for it."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


def article_schema() -> dict:
    return json.loads(resources.files(__name__).joinpath("article.schema.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def article_validator():
    from jsonschema import Draft202012Validator

    schema = article_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def record_errors(record: dict) -> list[str]:
    """Every way a record breaks the schema, as 'path: message' lines (empty when valid)."""
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '<record>'}: {error.message}"
        for error in sorted(article_validator().iter_errors(record), key=lambda e: list(e.absolute_path))
    ]
