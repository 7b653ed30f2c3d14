"""All five fakes started together and wired to each other (what the demo runs).

Wiring: plex.tv's server connections point at the Plex fake; when a request is made available in the
Overseerr fake, the title is put into the Plex fake and its rating key reported back, so a request goes
pending -> approved -> available and then shows up in Plex, as it would for real.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fakes import accounts as acc
from fakes.overseerr import FakeOverseerr
from fakes.plex import FakePlex
from fakes.plextv import FakePlexTv
from fakes.uptimekuma import FakeUptimeKuma
from fakes.youtube import FakeYouTube


@dataclass
class FakeStack:
    """The running fakes by name."""

    plextv: FakePlexTv
    plex: FakePlex
    overseerr: FakeOverseerr
    uptimekuma: FakeUptimeKuma
    youtube: FakeYouTube
    extra: dict[str, Any] = field(default_factory=dict)

    def services(self) -> dict[str, Any]:
        """Name -> fake."""
        return {"plextv": self.plextv, "plex": self.plex, "overseerr": self.overseerr,
                "uptimekuma": self.uptimekuma, "youtube": self.youtube}

    def describe(self) -> dict[str, Any]:
        """URLs, tokens and keys of every fake (what ``python -m fakes --write`` saves)."""
        out = {name: fake.describe() for name, fake in self.services().items()}
        out["sign_in"] = {
            "owner": {"account": "owner", "plex_token": acc.OWNER_TOKEN},
            "friend": {"account": "alice", "plex_token": acc.ALICE_TOKEN},
            "stranger": {"account": "mallory", "plex_token": acc.MALLORY_TOKEN},
            "how": f"open {self.plextv.url}/auth#?code=<PIN code> (the login popup) and pick an account, "
                   f"or POST {self.plextv.url}/__control/auto-approve {{\"account\": \"alice\"}}",
        }
        return out

    def stop(self) -> None:
        """Stop every fake."""
        for fake in self.services().values():
            fake.stop()


def start_all(media_root: str | Path, *, host: str = "127.0.0.1", ports: dict[str, int] | None = None,
              youtube_speed: int = 0, scan_delay: float = 0.5, kuma_version: int = 1,
              webhook_url: str | None = None, webhook_auth: str = "") -> FakeStack:
    """Start the five fakes (port 0 = ephemeral) and wire them together."""
    ports = ports or {}
    plex = FakePlex(media_root=media_root, scan_delay=scan_delay).start(ports.get("plex", 0), host)
    stack = FakeStack(
        plextv=FakePlexTv(pms_url=plex.url).start(ports.get("plextv", 0), host),
        plex=plex,
        overseerr=FakeOverseerr(on_available=plex.add_from_catalog).start(ports.get("overseerr", 0), host),
        uptimekuma=FakeUptimeKuma(version=kuma_version).start(ports.get("uptimekuma", 0), host),
        youtube=FakeYouTube(speed=youtube_speed).start(ports.get("youtube", 0), host),
    )
    if webhook_url:
        stack.overseerr.configure_webhook(webhook_url, webhook_auth)
    return stack
