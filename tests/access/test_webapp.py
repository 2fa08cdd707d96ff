"""Telegram Mini App initData validation (`bot.core.access.webapp`), pure: valid data names
its player; tampered data, expired data and data signed with another bot's token are refused
with words that do not say which check failed (except that expired data says to reopen)."""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import parse_qsl, urlencode

import pytest

from bot.core.access import webapp
from bot.core.access.webapp import InvalidInitData, build_init_data, validate

TOKEN = "123456:AAH-the-fake-bots-token"
NOW = 1_800_000_000.0
USER = {"id": 4242, "first_name": "Ada", "last_name": "L", "username": "ada"}


def _refusal(init_data: str, token: str = TOKEN, now: float = NOW) -> str:
    with pytest.raises(InvalidInitData) as caught:
        validate(init_data, token, now=now, max_age=3600)
    return caught.value.message


def test_valid_init_data_names_the_telegram_player() -> None:
    data = build_init_data(USER, TOKEN, auth_date=int(NOW) - 10)
    user = validate(data, TOKEN, now=NOW, max_age=3600)
    assert (user.ref.platform, user.ref.external_id) == ("telegram", "4242")
    assert user.ref.display_name == "Ada L"
    assert user.auth_date == int(NOW) - 10


def test_the_hash_is_telegrams_algorithm_written_out() -> None:
    """Independent of the module: secret = HMAC(\"WebAppData\", token), hash = HMAC(secret,
    sorted pairs but hash joined by newlines)."""
    pairs = {"auth_date": "1799999990", "query_id": "q", "user": '{"id":7}'}
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    check = 'auth_date=1799999990\nquery_id=q\nuser={"id":7}'
    pairs["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    assert validate(urlencode(pairs), TOKEN, now=NOW, max_age=3600).ref.external_id == "7"


def test_tampered_init_data_is_refused() -> None:
    data = dict(parse_qsl(build_init_data(USER, TOKEN, auth_date=int(NOW))))
    data["user"] = data["user"].replace("4242", "4243")
    assert _refusal(urlencode(data)) == webapp.INVALID
    data = dict(parse_qsl(build_init_data(USER, TOKEN, auth_date=int(NOW))))
    data["hash"] = "0" * 64
    assert _refusal(urlencode(data)) == webapp.INVALID
    assert _refusal("") == webapp.INVALID
    assert _refusal("not a query string at all") == webapp.INVALID
    assert _refusal("x" * (webapp.MAX_LENGTH + 1)) == webapp.INVALID


def test_a_key_given_twice_is_refused() -> None:
    data = build_init_data(USER, TOKEN, auth_date=int(NOW))
    assert _refusal(data + "&user=%7B%22id%22%3A1%7D") == webapp.INVALID


def test_expired_init_data_is_refused() -> None:
    data = build_init_data(USER, TOKEN, auth_date=int(NOW) - 3601)
    assert _refusal(data) == webapp.EXPIRED
    future = build_init_data(USER, TOKEN, auth_date=int(NOW) + 3600)
    assert _refusal(future) == webapp.INVALID


def test_another_bots_token_is_refused() -> None:
    data = build_init_data(USER, "999:another-bot", auth_date=int(NOW))
    assert _refusal(data) == webapp.INVALID
    assert _refusal(build_init_data(USER, TOKEN, auth_date=int(NOW)), token="") == webapp.INVALID


def test_signed_data_without_a_user_is_refused() -> None:
    pairs = {"auth_date": str(int(NOW)), "query_id": "q"}
    pairs["hash"] = webapp.sign(pairs, TOKEN)
    assert _refusal(urlencode(pairs)) == webapp.INVALID
