import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_sign_in_page_follows_the_design_system() -> None:
    response = Client().get("/sign-in/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label class="govuk-label govuk-label--s" for="id_username">Username</label>' in html
    assert 'class="govuk-skip-link"' in html


def test_a_wrong_password_shows_an_error_summary(caseworker) -> None:
    response = Client().post("/sign-in/", {"username": "caseworker", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Please enter a correct username and password" in html


def test_signing_in_lands_on_the_home_page(caseworker) -> None:
    client = Client()
    response = client.post(
        "/sign-in/", {"username": "caseworker", "password": "a-test-password-1234"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "Signed in as Sam Okafor" in response.content.decode()


def test_sign_out_is_a_post_and_ends_the_session(caseworker_client: Client) -> None:
    response = caseworker_client.post("/sign-out/")
    assert response.status_code == 302
    assert caseworker_client.get("/").status_code == 302


def test_navigation_shows_only_what_the_role_may_use(panel_member_client: Client) -> None:
    html = panel_member_client.get("/").content.decode()
    assert "Sign out" in html
    assert "govuk-service-navigation__link" in html


def test_unknown_page_is_a_404_in_the_site_design(caseworker_client: Client) -> None:
    response = caseworker_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_healthz_answers_without_login() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}  # the details are for administrators


def test_api_token_sign_in(caseworker) -> None:
    client = Client()
    bad = client.post("/api/v1/auth/token/", {"username": "caseworker", "password": "nope"})
    assert bad.status_code == 400
    assert "non_field_errors" in bad.json()
    good = client.post(
        "/api/v1/auth/token/", {"username": "caseworker", "password": "a-test-password-1234"}
    )
    token = good.json()["token"]
    schema = client.get("/api/v1/schema/", HTTP_AUTHORIZATION=f"Token {token}")
    assert schema.status_code == 200
    assert b"openapi: 3" in schema.content


def test_api_docs_are_served_offline(caseworker_client: Client) -> None:
    response = caseworker_client.get("/api/v1/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
