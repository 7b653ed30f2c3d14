"""Write the secret files compose.yaml mounts (./secrets/<name>), once: existing files are never replaced.

Standard library only, so it runs before anything is installed: `python3 deploy/make_secrets.py [folder]`.
Each file is named after the setting it sets (lower-case, dashes), as OpenFaaS secrets are. Keep the folder
(and a copy of medianest-encryption-keys somewhere safe): without that key the stored API keys and Plex
tokens cannot be opened, backups included.
"""

from __future__ import annotations

import base64
import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generate(postgres_password: str) -> dict[str, str]:
    return {
        "postgres-password": postgres_password,
        "database-url": f"postgresql://medianest:{postgres_password}@postgres:5432/medianest",
        "medianest-secret-key": secrets.token_urlsafe(48),
        "medianest-encryption-keys": f"k1:{base64.b64encode(os.urandom(32)).decode()}",
        "medianest-admin-password": secrets.token_urlsafe(18),
        "medianest-metrics-token": secrets.token_urlsafe(32),
    }


def write_secrets(folder: Path) -> list[str]:
    """Create the missing secret files; returns the names written."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    existing = folder / "postgres-password"
    password = existing.read_text().strip() if existing.exists() else secrets.token_urlsafe(24)
    written = []
    for name, value in generate(password).items():
        path = folder / name
        if path.exists():
            continue
        # Readable by the containers' own user (compose bind-mounts the file as it is); the folder, 0700,
        # keeps other users of the host out.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "w") as handle:
            handle.write(value + "\n")
        written.append(name)
    return written


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else ROOT / "secrets"
    written = write_secrets(folder)
    print(f"wrote {', '.join(written)} into {folder}" if written else f"{folder} is complete; nothing written")
    if "medianest-admin-password" in written:
        print(f"the local admin's password is in {folder / 'medianest-admin-password'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
