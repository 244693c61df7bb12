
from flask import Blueprint, Response, request, stream_with_context

from registry.exchange import csv_export
from registry.http import as_of_param, bad_request

bp = Blueprint("exchange", __name__)


@bp.get("/export/appointments.csv")
def appointments_csv():
    as_of = None if request.args.get("all") in ("1", "true") else as_of_param()
    delimiter = request.args.get("delimiter", ";")
    if delimiter not in csv_export.DELIMITERS:
        bad_request("Ukendt skilletegn: brug ';' eller ','.")
    name = "udpegninger-alle.csv" if as_of is None else f"udpegninger-{as_of.isoformat()}.csv"
    chunks = (chunk.encode("utf-8") for chunk in csv_export.export(as_of, delimiter))
    return Response(
        stream_with_context(chunks),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
