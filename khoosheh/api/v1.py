"""The open API, version 1: /api/v1/ with its OpenAPI schema at /api/v1/openapi.json.

Authentication: `Authorization: Bearer <token>` (`khoosheh api-token USERNAME`).
Every endpoint applies the portal's scoping (accounts.scoping, programs.permissions);
unit writes go through exactly the import's validation, and program and SPX writes
through the same services as the portal's pages; every write is audited with the
source "api".  Dates are ISO 8601 (`2024-03-20`) with a Jalali twin (`1403/01/01`);
dates sent may be either."""

from .clusters import clusters
from .common import BearerToken, KhooshehAPI, install_error_answers, refuse_unknown_query
from .programs import programs
from .spx import spx
from .units import units

api = KhooshehAPI(title="khoosheh API", version="1", urls_namespace="api-v1", auth=BearerToken(),
                  description=__doc__)
install_error_answers(api)
api.add_decorator(refuse_unknown_query, mode="view")
api.add_router("/units", units)
api.add_router("/clusters", clusters)
api.add_router("/programs", programs)
api.add_router("/spx", spx)
