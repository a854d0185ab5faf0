"""Signing in through the login page, as a person does, for every browser test."""


def sign_in(page, base_url: str, username: str, password: str, *, wait: str = "networkidle") -> None:
    """Log in at ``base_url``; the test fails here, by name, if the login did not take."""
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state(wait)
    assert "/login/" not in page.url, f"{username} could not log in"
