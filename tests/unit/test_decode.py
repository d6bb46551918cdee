"""Decoding raw messages: valid articles pass, everything else gets a clear reason."""

import json

import pytest

from agents.decode import MAX_MESSAGE_BYTES, BadMessage, decode_article


def test_valid_article_with_derived_id() -> None:
    a = decode_article(json.dumps({"source": "BBC News", "body": "Text.", "url": "https://x/1"}).encode())
    assert a.id.startswith("u-") and a.source == "BBC News"


def test_same_url_same_id() -> None:
    one = decode_article(json.dumps({"source": "S", "body": "v1", "url": "https://x/1"}).encode())
    two = decode_article(json.dumps({"source": "S", "body": "v2", "url": "https://x/1"}).encode())
    assert one.id == two.id


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty message"),
        (b"not json", "not JSON"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"source": "S"}', "body: Field required"),
        (b'{"body": "x"}', "source: Field required"),
        (b'{"source": 3, "body": "x"}', "source: Input should be a valid string"),
        (b'{"source": "S", "body": "   "}', "body: Value error, must not be blank"),
        (b'{"source": "S", "body": "x", "published_at": "yesterday"}', "published_at"),
        (b'{"source": "S", "body": "x", "id": "a\\u0000b"}', "id"),
        (b"[" * 100_000 + b"]" * 100_000, "not"),
    ],
)
def test_bad_messages_have_reasons(raw: bytes, reason: str) -> None:
    with pytest.raises(BadMessage) as exc:
        decode_article(raw)
    assert reason in str(exc.value)


def test_too_large() -> None:
    with pytest.raises(BadMessage, match="too large"):
        decode_article(b" " * (MAX_MESSAGE_BYTES + 1))


def test_body_over_limit() -> None:
    with pytest.raises(BadMessage, match="body"):
        decode_article(json.dumps({"source": "S", "body": "x" * 200_001}).encode())
