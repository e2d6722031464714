"""What the notification tests' SMTP server refuses (imported by name: `conftest` is not a unique module name)."""

REFUSED = "refused@example.org"
