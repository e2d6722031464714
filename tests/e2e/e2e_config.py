"""Constants the browser tests share (imported by name: several test folders have a conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "e2e calm river lantern 2027"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the seeded administrators' authenticator app
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"

# Accounts every session starts with (the journeys also register their own people through the site).
PEOPLE = {
    "admin": ("admin@e2e.example", "admin", "en", "Adela Admin"),
    "trainer": ("trainer@e2e.example", "trainer", "ro", "Mihai Formator"),
    "learner": ("learner@e2e.example", "learner", "en", "Lena Learner"),
    "student": ("student@e2e.example", "learner", "en", "Stefan Student"),
    # Not enrolled anywhere: the trainer journeys import them into a cohort, one per run.
    "cohort-mouse": ("cora.mouse@e2e.example", "learner", "en", "Cora Mouse"),
    "cohort-keyboard": ("cora.keys@e2e.example", "learner", "en", "Cora Keys"),
}
