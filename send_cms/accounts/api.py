"""Token sign-in for API clients: POST username and password, receive a token."""

from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny

from send_cms.audit.services import record


@method_decorator(login_not_required, name="dispatch")
class ObtainTokenView(ObtainAuthToken):
    permission_classes = (AllowAny,)
    authentication_classes = ()

    @extend_schema(
        request=inline_serializer(
            "TokenRequest",
            {"username": serializers.CharField(), "password": serializers.CharField()},
        ),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        response = super().post(request, *args, **kwargs)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid()
        user = serializer.validated_data.get("user")
        if user is not None:
            record(actor=user, action="auth.token_issued", obj=user)
        return response
