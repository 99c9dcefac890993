"""Multi-user mode in the browser: the login form, a session, logging out."""

from __future__ import annotations

from tests.browser.conftest import Browser, ask, open_app, wait_answer


def test_login_and_logout(browser: Browser) -> None:
    accounts = browser.app.state.accounts
    accounts.add_user("alice", "correct horse")
    accounts.add_user("bob", "battery staple")
    page = browser.new_page()
    page.goto(browser.server.url)
    page.wait_for_selector("#login:not([hidden])")
    assert page.locator("#app").is_hidden()

    page.fill("#login-name", "alice")
    page.fill("#login-password", "wrong password")
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#login-error:not([hidden])")
    assert page.locator("#login-error").inner_text() == "Wrong name or password."

    page.fill("#login-password", "correct horse")
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#app:not([hidden])")
    assert page.locator("#user-name").inner_text() == "alice"
    ask(page, "alice's secret question")
    wait_answer(page)

    page.reload()
    page.wait_for_selector("#app:not([hidden])")
    page.wait_for_selector("#conversations li")
    cookies = page.context.cookies()
    (session,) = [c for c in cookies if c["name"] == "eclair_session"]
    assert session["httpOnly"] and session["sameSite"] == "Strict"
    assert page.evaluate("document.cookie") == "", "the session cookie is out of JavaScript's reach"

    page.click("#logout")
    page.wait_for_selector("#login:not([hidden])")
    page.reload()
    page.wait_for_selector("#login:not([hidden])")

    other = browser.new_page()
    other.goto(browser.server.url)
    other.fill("#login-name", "bob")
    other.fill("#login-password", "battery staple")
    other.click("#login-form button[type=submit]")
    other.wait_for_selector("#app:not([hidden])")
    other.wait_for_selector("#conversations-empty:not([hidden])")
    assert other.locator("#conversations li").count() == 0, "bob sees none of alice's conversations"


def test_single_user_mode_shows_no_login(browser: Browser) -> None:
    page = browser.new_page()
    open_app(page, browser.server.url)
    assert page.locator("#login").is_hidden() and page.locator("#logout").is_hidden()
