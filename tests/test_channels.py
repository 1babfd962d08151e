"""Messenger channels through the real Apprise: webhooks on loopback, payloads of Slack, Google Chat, Teams."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from conftest import WebhookReceiver

from sync.errors import ChannelError
from sync.notify.channels import AppriseNotifier, Channel, Note, check_channel_url

NOTE = Note(
    "[flowsync] 컨설팅1팀: 11월 4주차 계획을 적어 주세요",
    "최유나님, 계획이 아직 없습니다.\nhttps://docs.google.com/x#gid=1&range=A29",
)


def test_generic_json_webhook_reaches_a_real_receiver(webhook: WebhookReceiver) -> None:
    """json://127.0.0.1:PORT/... through Apprise and plain HTTP: one POST with title and message."""
    where = AppriseNotifier().send(Channel(webhook.url("hooks/team")), NOTE)
    [hook] = webhook.received
    assert hook.path == "/hooks/team"
    assert hook.headers["Content-Type"].startswith("application/json")
    assert hook.body["title"] == NOTE.title
    assert hook.body["message"] == NOTE.body
    assert where == f"json://127.0.0.1:{webhook.port}"


def test_a_failing_channel_is_retried_then_delivered(webhook: WebhookReceiver) -> None:
    """Two 500s, then 200: three attempts (backoff off in tests, as stamina's testing mode)."""
    webhook.fail = 2
    AppriseNotifier().send(Channel(webhook.url("t")), NOTE, attempts=3)
    assert (webhook.hits, len(webhook.received)) == (3, 1)


def test_a_channel_that_keeps_failing_raises_after_bounded_attempts(
    webhook: WebhookReceiver,
) -> None:
    webhook.fail = 99
    with pytest.raises(
        ChannelError, match=r"not delivered after 2 attempt\(s\) .*next cycle tries again"
    ):
        AppriseNotifier().send(Channel(webhook.url("t")), NOTE, attempts=2)
    assert webhook.hits == 2


def test_secrets_come_from_the_environment_and_never_show(webhook: WebhookReceiver) -> None:
    """The token fills the URL at send time; a failure's message names the variable's channel, not its value."""
    url = f"json://flowsync:${{HOOK_TOKEN}}@127.0.0.1:{webhook.port}/t"
    env = {"HOOK_TOKEN": "s3cr3t-t0ken"}
    AppriseNotifier(environ=env).send(Channel(url), NOTE)
    assert webhook.received[0].headers["Authorization"].startswith("Basic ")
    webhook.fail = 99
    with pytest.raises(ChannelError) as failed:
        AppriseNotifier(environ=env).send(Channel(url), NOTE, attempts=1)
    assert "s3cr3t" not in str(failed.value)
    assert Channel(url).label == f"json://127.0.0.1:{webhook.port}"
    with pytest.raises(ChannelError, match="environment variable HOOK_TOKEN is not set"):
        AppriseNotifier(environ={}).send(Channel(url), NOTE)


def test_a_token_written_in_the_config_is_refused_without_being_repeated() -> None:
    with pytest.raises(
        ValueError, match=r"secret parts of this slack:// URL as \$\{VARIABLE\}"
    ) as bad:
        check_channel_url("slack://T1A2B3C4D/B0123456789/abcdefghijklmnopqrstuvwx")
    assert "abcdefghij" not in str(bad.value)
    check_channel_url("slack://${SLACK_A}/${SLACK_B}/${SLACK_C}")
    check_channel_url("json://127.0.0.1:8080/hook")
    with pytest.raises(ValueError, match="expected an Apprise notification URL"):
        check_channel_url("hooks.slack.com/services/x")


# The messengers' hosts are not reachable from here: their payloads are checked at the
# transport, by replacing requests' HTTPAdapter.send, so Apprise's own code builds them.


@pytest.fixture
def transport(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[requests.PreparedRequest]]:
    """Every request Apprise makes, answered 200 with what each service answers on success."""
    sent: list[requests.PreparedRequest] = []

    def send(self: Any, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        sent.append(request)
        response = requests.Response()
        response.status_code = 200
        response.url = request.url or ""
        response.request = request
        host = requests.utils.urlparse(request.url).hostname or ""
        response._content = b"ok" if host == "hooks.slack.com" else b'{"ok": true, "result": {}}'
        response.headers["Content-Type"] = "application/json"
        return response

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", send)
    return sent


ENV = {
    "SLACK_A": "T1A2B3C4D", "SLACK_B": "B0123456789", "SLACK_C": "abcdefghijklmnopqrstuvwx",
    "GCHAT_KEY": "AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI", "GCHAT_TOKEN": "kP1ZQ3jV7rHwL8aT2sYe",
    "TEAMS_SIG": "a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuVwXyZ123456",
    "DISCORD_TOKEN": "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdEfGhIjKlMnOpQrStUvWxYz01",
    "TELEGRAM_TOKEN": "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-abc",
}  # fmt: skip


def _send(url: str, sent: list[requests.PreparedRequest]) -> tuple[str, dict[str, Any]]:
    AppriseNotifier(environ=ENV).send(Channel(url), NOTE)
    request = sent[-1]
    body = request.body.decode() if isinstance(request.body, bytes) else request.body or ""
    return request.url or "", json.loads(body)


def test_slack_webhook_payload(transport: list[requests.PreparedRequest]) -> None:
    url, body = _send("slack://${SLACK_A}/${SLACK_B}/${SLACK_C}/#goals", transport)
    assert url == "https://hooks.slack.com/services/T1A2B3C4D/B0123456789/abcdefghijklmnopqrstuvwx"
    assert body["channel"] == "#goals"
    text = json.dumps(body, ensure_ascii=False)
    assert "최유나님, 계획이 아직 없습니다." in text
    assert "range=A29" in text


def test_google_chat_payload(transport: list[requests.PreparedRequest]) -> None:
    url, body = _send("gchat://AAAAxyz123/${GCHAT_KEY}/${GCHAT_TOKEN}", transport)
    assert url.startswith("https://chat.googleapis.com/v1/spaces/AAAAxyz123/messages?")
    assert "token=kP1ZQ3jV7rHwL8aT2sYe" in url
    assert NOTE.title in body["text"]
    assert "최유나님" in body["text"]


def test_microsoft_teams_workflow_payload(transport: list[requests.PreparedRequest]) -> None:
    """Teams takes messages through a Power Automate workflow: an Adaptive Card."""
    url, body = _send("workflow://prod-01.westeurope.logic.azure.com/wf123/${TEAMS_SIG}", transport)
    assert url.startswith("https://prod-01.westeurope.logic.azure.com/workflows/wf123/")
    assert "sig=a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuVwXyZ123456" in url
    card = json.dumps(body, ensure_ascii=False)
    assert "AdaptiveCard" in card
    assert "최유나님" in card


def test_discord_and_telegram_payloads(transport: list[requests.PreparedRequest]) -> None:
    url, body = _send("discord://112233445566778899/${DISCORD_TOKEN}", transport)
    assert url.startswith("https://discord.com/api/webhooks/112233445566778899/")
    assert "최유나님" in json.dumps(body, ensure_ascii=False)
    url, body = _send("tgram://${TELEGRAM_TOKEN}/-1001234567", transport)
    assert (
        url
        == "https://api.telegram.org/bot123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-abc/sendMessage"
    )
    assert body["chat_id"] == "-1001234567" or body["chat_id"] == -1001234567
    assert "최유나님" in body["text"]


def test_a_jandi_style_webhook_gets_its_own_json_shape(webhook: WebhookReceiver) -> None:
    """JANDI's incoming webhook takes {"body": ...} and its own Accept header: Apprise's json://
    renames and drops keys (:message=body, :title=) and adds headers (+Accept=...)."""
    url = webhook.url(
        "connect-api/webhook/1/${JANDI_TOKEN}?:message=body&:title=&:version=&:type="
        "&+Accept=application/vnd.tosslab.jandi-v2%2Bjson"
    )
    AppriseNotifier(environ={"JANDI_TOKEN": "abc123"}).send(Channel(url), NOTE)
    [hook] = webhook.received
    assert hook.path == "/connect-api/webhook/1/abc123"
    assert hook.headers["Accept"] == "application/vnd.tosslab.jandi-v2+json"
    assert hook.body["body"] == NOTE.body
    assert "title" not in hook.body
    assert "message" not in hook.body


def test_a_url_apprise_cannot_use_is_one_clear_error() -> None:
    """A Slack URL whose variables fill in to something that is not a token: said, not sent, not shown."""
    env = {"SLACK_A": "not a token"}
    with pytest.raises(
        ChannelError, match=r"slack://\$\{SLACK_A\}: Apprise does not accept"
    ) as bad:
        AppriseNotifier(environ=env).send(Channel("slack://${SLACK_A}"), NOTE)
    assert "not a token" not in str(bad.value)


def test_a_channel_error_speaks_english_and_korean(webhook: WebhookReceiver) -> None:
    webhook.fail = 99
    with pytest.raises(ChannelError) as failed:
        AppriseNotifier().send(Channel(webhook.url("t")), NOTE, attempts=1)
    assert failed.value.say("ko").startswith(
        f"json://127.0.0.1:{webhook.port}: 1번 시도했지만 보내지 못했습니다"
    )
    assert failed.value.say("en").startswith(
        f"json://127.0.0.1:{webhook.port}: not delivered after 1"
    )
