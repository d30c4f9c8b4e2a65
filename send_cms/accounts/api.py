"""Token sign-in for API clients, and sign-out.

POST username and password (and the authenticator app's code where a second factor is needed)
to receive a token; only its hash is stored, and it expires after API_TOKEN_HOURS. POST to
/auth/logout/ with the token revokes it.
"""

from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from django_otp import user_has_device
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox.auth import TokenAuthentication
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from send_cms.accounts import services

WRONG_CREDENTIALS = "Unable to log in with provided credentials."
CODE_NEEDED = "Enter the 6-digit code from your authenticator app."
CODE_WRONG = "The code is not right."
SET_UP_FIRST = (
    "Your account needs a second factor: sign in to the website once to set up an "
    "authenticator app, then ask for a token with its code."
)


class TokenSerializer(serializers.Serializer[Any]):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp_token = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="The 6-digit code from the authenticator app: needed for managers and "
        "administrators, and for anyone who has set one up.",
    )


@method_decorator(login_not_required, name="dispatch")
class ObtainTokenView(APIView):
    permission_classes = (AllowAny,)
    authentication_classes = ()

    @extend_schema(
        summary="Sign in: a token for the API",
        description="Send `Authorization: Token <token>` with each request. The token expires "
        "after API_TOKEN_HOURS, on a password change, and when revoked (POST /auth/logout/ with "
        "it, or on the account page). Repeated failures lock sign-in (429).",
        request=TokenSerializer,
        responses={
            200: inline_serializer(
                "TokenResponse",
                {"token": serializers.CharField(), "expiry": serializers.DateTimeField()},
            ),
            400: OpenApiResponse(description="Wrong credentials, or the code is missing."),
            429: OpenApiResponse(description="Too many failed attempts: sign-in is locked."),
        },
    )
    def post(self, request: Request) -> Response:
        data = TokenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        username = data.validated_data["username"]
        # Django's request, so django-axes counts a failure and flags a lockout where its
        # middleware will see it and answer 429.
        http_request = request._request
        user: Any = authenticate(
            http_request, username=username, password=data.validated_data["password"]
        )
        if user is None:
            services.sign_in_failed(request=http_request, username=username, method="api token")
            return Response({"non_field_errors": [WRONG_CREDENTIALS]}, status=400)
        if services.second_factor_needed_for(user=user):
            code = data.validated_data.get("otp_token", "").replace(" ", "")
            if not user_has_device(user):
                return Response({"non_field_errors": [SET_UP_FIRST]}, status=400)
            if not code:
                return Response({"otp_token": [CODE_NEEDED]}, status=400)
            if not services.second_factor_check(request=http_request, user=user, token=code):
                return Response({"otp_token": [CODE_WRONG]}, status=400)
        instance, token = services.token_issue(user=user, via="api")
        return Response({"token": token, "expiry": instance.expiry})


class LogoutView(APIView):
    """Revokes the token that calls it; the client's other tokens keep working."""

    authentication_classes = (TokenAuthentication,)
    permission_classes = (IsAuthenticated,)

    @extend_schema(summary="Sign out: revoke this token", request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        services.token_revoke(actor=request.user, token=request.auth, reason="signed out")
        return Response(status=status.HTTP_204_NO_CONTENT)
