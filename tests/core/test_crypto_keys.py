"""forum.crypto: a key ring generated on first use is the same for workers starting together."""

from concurrent.futures import ThreadPoolExecutor


def test_racing_first_use_agrees_on_one_key(make_app, tmp_path):
    from forum import crypto

    keys = tmp_path / "keys"
    apps = [make_app(FORUM_KEYS_DIR=str(keys)) for _ in range(6)]
    with ThreadPoolExecutor(6) as pool:
        rings = list(pool.map(lambda a: crypto._load("racetest", a), apps))
    assert len({ring.current for ring in rings}) == 1
    assert sorted(p.name for p in keys.iterdir()) == ["racetest_keys.json"]
    assert oct((keys / "racetest_keys.json").stat().st_mode & 0o777) == "0o600"
