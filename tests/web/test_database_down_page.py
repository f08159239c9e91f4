"""While the database is down, a page says so in the browser's language and asks to try again (503,
Retry-After), without asking the database who is signed in; the API answers in JSON."""
from __future__ import annotations

import pytest

from fieldops import create_app


@pytest.fixture
def down(tmp_path):
    """An app whose database cannot be opened (its SQLite file lies in a folder that does not exist)."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'no-such-folder' / 'fieldops.db'}"})
    return app.test_client()


@pytest.mark.parametrize("browser, title, sentence", [
    ("fi-FI,fi;q=0.9", "Yritä hetken päästä uudelleen", "Tietokanta ei ole hetkeen käytettävissä"),
    ("es", "Vuelve a intentarlo en un momento", "La base de datos no está disponible por un momento"),
    ("sv", "Försök igen om en stund", "Databasen är inte tillgänglig för tillfället"),
    ("en-GB", "Try again shortly", "The database is unavailable for a moment; nothing was saved."),
])
def test_the_page_speaks_the_browsers_language(down, browser, title, sentence):
    page = down.post("/login", data={"email": "someone@example.org", "password": "a-password-1"},
                     headers={"Accept-Language": browser})
    text = page.get_data(as_text=True)
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert f"<h1>{title}</h1>" in text and sentence in text


def test_the_api_answers_in_json(down):
    answer = down.get("/api/v1/me/turfs", headers={"Authorization": "Bearer some-token", "Accept": "application/json"})
    assert answer.status_code == 503 and "try again shortly" in answer.get_json()["error"]
