"""Responses that carry children's data are never kept by a browser or a proxy."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control

API_PREFIX = "/api/"


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every page for a signed-in person, every API response and
    every download, so the browser's back button, disk cache or a shared proxy cannot show a
    child's record to the next person at the desk. Static files (served by WhiteNoise, above
    this middleware) stay cacheable.

    The API's token users are known only once DRF has authenticated the request (DRF sets
    `request.user` on the underlying request), so the check runs on the way out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            request.path_info.startswith(API_PREFIX)
            or (user is not None and user.is_authenticated)
            or response.has_header("Content-Disposition")
        ):
            patch_cache_control(response, no_store=True, private=True)
        return response
