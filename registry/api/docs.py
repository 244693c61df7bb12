"""The API's documentation: the OpenAPI document as this registry serves it, and the page that shows it.

The page is Swagger UI, vendored in static/ (static/vendor/README.md) and started by static/api-docs.js, so it
keeps the registry's Content-Security-Policy: no inline script or style, nothing from another site.
"""

from flask import current_app, render_template, url_for

from registry.api import openapi
from registry.config import DEVELOPMENT_URL

# Swagger UI's folder in static/; a new version is a new folder, and so a new address browsers fetch anew.
SWAGGER_UI = "vendor/swagger-ui-5.35.0"


def document() -> dict:
    """The OpenAPI document with this registry's addresses, contact and licence of the data (registry/config.py):
    the addresses are API_SERVERS, else PUBLIC_URL, else where `make run` serves."""
    config = current_app.config
    servers = config["API_SERVERS"] or [config["PUBLIC_URL"] or DEVELOPMENT_URL]
    return openapi.document(servers, config["API_CONTACT"], config["API_DATA_LICENSE"])


def page() -> str:
    return render_template("api/docs.html", swagger_ui=SWAGGER_UI,
                           document_url=url_for("api.openapi_document"))
