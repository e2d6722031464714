"""`flask certificates`: key generation, offline verification with reasons, listing by course version."""

from __future__ import annotations

import stat

from joserfc.jwk import RSAKey

from lumos_learn.certificates.services import certificate_for, revoke_certificate


def test_generate_key_writes_a_private_pem_0600_and_refuses_to_overwrite(app, tmp_path):
    runner = app.test_cli_runner()
    out = tmp_path / "keys" / "issuer-rs256.pem"
    result = runner.invoke(args=["certificates", "generate-key", "--out", str(out), "--bits", "2048"])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    key = RSAKey.import_key(out.read_bytes())
    assert key.is_private and key.private_key.key_size >= 2048
    before = out.read_bytes()
    result = runner.invoke(args=["certificates", "generate-key", "--out", str(out)])
    assert result.exit_code != 0 and "--force" in result.output and out.read_bytes() == before
    result = runner.invoke(args=["certificates", "generate-key", "--out", str(out), "--force", "--bits", "2048"])
    assert result.exit_code == 0 and out.read_bytes() != before


def _credential_file(client, learner, login_as, certificate, tmp_path, suffix="jwt"):
    login_as(client, learner)
    path = tmp_path / f"credential.{suffix}"
    path.write_bytes(client.get(f"/certificates/{certificate.code}/credential.{suffix}").data)
    return path


def test_verify_accepts_the_downloaded_credential(app, client, learner, login_as, certificate, key_file, tmp_path):
    runner = app.test_cli_runner()
    for suffix in ("jwt", "json"):
        path = _credential_file(client, learner, login_as, certificate, tmp_path, suffix)
        result = runner.invoke(args=["certificates", "verify", str(path)])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("VALID: Ana Popescu — Safe mealtimes")


def test_verify_says_why_a_credential_fails(app, client, learner, admin, login_as, certificate, key_file, tmp_path):
    from test_certificate_credential import alg_none, other_key, tampered

    runner = app.test_cli_runner()
    token = _credential_file(client, learner, login_as, certificate, tmp_path).read_text()
    cases = {tampered: "bad signature", alg_none: "wrong algorithm", other_key: "signed by another key"}
    for forge, reason in cases.items():
        path = tmp_path / f"{forge.__name__}.jwt"
        path.write_text(forge(token))
        result = runner.invoke(args=["certificates", "verify", str(path)])
        assert result.exit_code == 1 and reason in result.output, result.output
    revoke_certificate(certificate, admin, "Error")
    path = tmp_path / "revoked.jwt"
    path.write_text(token)
    result = runner.invoke(args=["certificates", "verify", str(path)])
    assert result.exit_code == 1 and "revoked" in result.output


def test_list_shows_who_trained_on_a_version(app, make_user, finish, db):
    old = certificate_for(finish(make_user(name="Olga Old")))
    old.course_version = "0.9"
    db.session.commit()
    certificate_for(finish(make_user(name="Nina New")))
    result = app.test_cli_runner().invoke(args=["certificates", "list", "--course", "demo-course", "--version", "0.9"])
    assert result.exit_code == 0
    assert "Olga Old" in result.output and "Nina New" not in result.output and "\t0.9\t" in result.output
