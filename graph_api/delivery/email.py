"""The EMAIL channel: SMTP with STARTTLS or implicit TLS and an optional login (aiosmtplib)."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import urlsplit

import aiosmtplib

from graph_api.delivery.render import DIGEST, Outgoing, digest_html, email_body, subject
from graph_api.settings import DeliverySettings


class SendFailed(Exception):
    """An attempt failed; `permanent` when trying again cannot help (the address is refused)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def message_id_header(settings: DeliverySettings, message_id: str) -> str:
    """The message's own id is the left part of its Message-ID, so resending keeps it."""
    domain = urlsplit(settings.public_url).hostname or "isegraph.localhost"
    return f"<{message_id}@{domain}>"


def build_email(settings: DeliverySettings, message: Outgoing) -> EmailMessage:
    email = EmailMessage()
    email["From"] = settings.smtp_from
    email["To"] = message.address or ""
    email["Subject"] = subject(message)
    email["Message-ID"] = message_id_header(settings, message.id)
    email["Date"] = formatdate(usegmt=True)
    if message.product is not None:
        email["X-ISEGraph-Product"] = message.product["id"]
    email.set_content(email_body(message))
    if message.kind == DIGEST:
        email.add_alternative(digest_html(message), subtype="html")
    return email


class EmailSender:
    """One SMTP connection, opened on first use, kept for the next messages, reopened after an error."""

    def __init__(self, settings: DeliverySettings) -> None:
        self.settings = settings
        self._client: aiosmtplib.SMTP | None = None

    async def _connected(self) -> aiosmtplib.SMTP:
        if self._client is not None and self._client.is_connected:
            return self._client
        s = self.settings
        client = aiosmtplib.SMTP(
            hostname=s.smtp_host,
            port=s.smtp_port,
            use_tls=s.smtp_tls == "tls",
            start_tls=s.smtp_tls == "starttls",
            username=s.smtp_user,
            password=s.smtp_password,
            timeout=s.send_timeout_seconds,
        )
        await client.connect()
        self._client = client
        return client

    async def send(self, message: Outgoing) -> None:
        if not message.address:
            raise SendFailed("the contact has no email address", permanent=True)
        email = build_email(self.settings, message)
        try:
            client = await self._connected()
            await client.send_message(email)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            await self.close()
            raise SendFailed(f"SMTP refused the recipient: {exc}", permanent=True) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            await self.close()
            raise SendFailed(f"SMTP {self.settings.smtp_host}:{self.settings.smtp_port}: {exc}") from exc
        except Exception:
            await self.close()  # the conversation may be half way: the next message starts afresh
            raise

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None and client.is_connected:
            try:
                await client.quit()
            except (aiosmtplib.SMTPException, OSError):
                client.close()
