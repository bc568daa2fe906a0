"""A real SMTP server for mail tests: aiosmtpd on 127.0.0.1, a free port, stopped after the test."""

import socket
from email import message_from_bytes, policy

import pytest


class Received:
    """What the server was given: each message parsed, with its envelope recipients."""

    def __init__(self):
        self.messages = []
        self.recipients = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    """``smtp_server.url`` for ``MAIL_URL``; ``smtp_server.received.messages`` after sending."""
    from aiosmtpd.controller import Controller

    received = Received()
    controller = Controller(received, hostname="127.0.0.1", port=_free_port())
    controller.start()
    controller.url = f"smtp://127.0.0.1:{controller.port}"
    controller.received = received
    yield controller
    controller.stop()
