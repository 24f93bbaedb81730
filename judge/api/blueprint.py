"""The API's Blueprint: flask-smorest's, plus one multipart location for fields and files.

``location="multipart"`` reads form fields and uploaded files through one
schema, so the OpenAPI document shows a single multipart/form-data body.
"""

from __future__ import annotations

from flask_smorest import Blueprint as SmorestBlueprint
from webargs.flaskparser import FlaskParser
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict


class Parser(FlaskParser):
    pass


parser = Parser()


@parser.location_loader("multipart")
def _load_multipart(request, schema):
    return MultiDictProxy(CombinedMultiDict([request.form, request.files]), schema)


class Blueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = parser
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **SmorestBlueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "multipart": "multipart/form-data",
    }
