"""A node's identity among its peers: made once, kept private, shown to hand to a peer."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from graph_api.cli import main
from graph_api.peering.identity import (
    KEY_FILE,
    NODE_FILE,
    NodeIdentityError,
    create_identity,
    decode_public_key,
    encode_public_key,
    load_identity,
)


def test_a_new_identity_is_kept_with_its_private_key_readable_by_its_owner_only(tmp_path: Path) -> None:
    made = create_identity(tmp_path / "node", "fc-ca", "ca")
    assert stat.S_IMODE((tmp_path / "node" / KEY_FILE).stat().st_mode) == 0o600
    loaded = load_identity(tmp_path / "node")
    assert (loaded.node_id, loaded.operator) == ("ca", "fc-ca")
    assert loaded.public_key_text == made.public_key_text
    # The kept key is the one that was made: what it signs verifies with the shown public key.
    decode_public_key(made.public_key_text).verify(loaded.signing_key.sign(b"hello"), b"hello")


def test_without_an_id_the_node_gets_a_random_one_of_its_own(tmp_path: Path) -> None:
    first = create_identity(tmp_path / "a", "fc-ca")
    second = create_identity(tmp_path / "b", "fc-ca")
    assert first.node_id.startswith("node-") and first.node_id != second.node_id
    assert first.public_key_text != second.public_key_text


def test_an_identity_is_never_replaced(tmp_path: Path) -> None:
    made = create_identity(tmp_path / "node", "fc-ca", "ca")
    with pytest.raises(NodeIdentityError, match="already holds a node identity"):
        create_identity(tmp_path / "node", "nicc", "national")
    kept = load_identity(tmp_path / "node")
    assert (kept.node_id, kept.public_key_text) == ("ca", made.public_key_text)


@pytest.mark.parametrize("node_id", ["", "CA", "-ca", "ca-", "c a", "ca/1", "x" * 64])
def test_a_node_id_that_would_not_read_the_same_everywhere_is_refused(tmp_path: Path, node_id: str) -> None:
    with pytest.raises(ValueError, match="node id"):
        create_identity(tmp_path / "node", "fc-ca", node_id)
    assert not (tmp_path / "node").exists()


def test_a_key_others_may_read_is_refused(tmp_path: Path) -> None:
    create_identity(tmp_path / "node", "fc-ca", "ca")
    (tmp_path / "node" / KEY_FILE).chmod(0o640)
    with pytest.raises(NodeIdentityError, match="chmod 600"):
        load_identity(tmp_path / "node")


def test_a_missing_identity_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(NodeIdentityError, match="isegraph node init"):
        load_identity(tmp_path / "node")


def test_a_key_that_is_not_ed25519_is_refused(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    create_identity(tmp_path / "node", "fc-ca", "ca")
    other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (tmp_path / "node" / KEY_FILE).write_bytes(other)
    with pytest.raises(NodeIdentityError, match="not hold an Ed25519"):
        load_identity(tmp_path / "node")


def test_a_public_key_round_trips_and_a_wrong_one_is_named() -> None:
    key = Ed25519PrivateKey.generate().public_key()
    assert encode_public_key(decode_public_key(encode_public_key(key))) == encode_public_key(key)
    with pytest.raises(ValueError, match="32 bytes, this one is 31"):
        decode_public_key("A" * 40 + "Bg==")  # 31 bytes
    with pytest.raises(ValueError, match="base64"):
        decode_public_key("not a key!")


def _run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


@pytest.fixture
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ISEGRAPH_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("ISEGRAPH_PUBLIC_URL", "https://ca.isegraph.example")
    return tmp_path / "state"


def test_node_init_then_show_prints_what_a_peer_needs_and_never_the_private_key(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _run(monkeypatch, capsys, "node", "init", "--operator", "fc-ca", "--id", "ca")
    assert code == 0, out
    assert json.loads((state_dir / "node" / NODE_FILE).read_text())["nodeId"] == "ca"
    code, out = _run(monkeypatch, capsys, "node", "show", "--json")
    assert code == 0, out
    shown = json.loads(out)
    assert shown == {
        "nodeId": "ca",
        "operator": "fc-ca",
        "url": "https://ca.isegraph.example",
        "publicKey": load_identity(state_dir / "node").public_key_text,
    }
    code, out = _run(monkeypatch, capsys, "node", "show")
    assert code == 0 and "nodeId:     ca" in out and "PRIVATE" not in out


def test_node_init_twice_is_refused_and_keeps_the_first_identity(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(monkeypatch, capsys, "node", "init", "--operator", "fc-ca", "--id", "ca")[0] == 0
    key = (state_dir / "node" / KEY_FILE).read_bytes()
    code, out = _run(monkeypatch, capsys, "node", "init", "--operator", "nicc", "--id", "national")
    assert code == 2 and "already holds a node identity" in out
    assert (state_dir / "node" / KEY_FILE).read_bytes() == key


def test_node_show_before_init_says_how_to_make_one(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _run(monkeypatch, capsys, "node", "show")
    assert code == 1 and "isegraph node init" in out
