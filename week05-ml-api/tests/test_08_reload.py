"""Hot reload: the swap is atomic, requests in flight finish on the old model, none fails."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from week05_ml_api.predictor import PredictionService
from week05_ml_api.schemas import FlightFeatures


def test_request_in_flight_finishes_on_the_old_model(model_dir, other_model_dir, rows):
    service = PredictionService(cache_size=0)
    service.store.load(model_dir)
    old = service.store.require()  # what a request holds once it has started
    result = service.reload(other_model_dir)
    assert result.previous_version == old.version != result.model_version
    assert old.predict([rows[0]]).shape == (1,)  # the old object still answers
    flight = FlightFeatures.model_validate(rows[0])
    assert service.predict_one(flight).model_version == result.model_version


def test_reload_under_concurrent_load_loses_nothing(client, model_dir, other_model_dir, rows):
    versions: set[str] = set()
    failures: list[str] = []
    stop = threading.Event()

    def hammer(offset: int) -> int:
        done = 0
        while not stop.is_set():
            response = client.post("/predict", json=rows[(offset + done) % len(rows)])
            if response.status_code != 200:
                failures.append(f"{response.status_code}: {response.text[:200]}")
            else:
                versions.add(response.json()["model_version"])
            done += 1
        return done

    headers = {"Authorization": "Bearer test-token"}
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(hammer, i * 100) for i in range(4)]
        for i in range(6):
            folder = other_model_dir if i % 2 == 0 else model_dir
            answer = client.post("/admin/reload", json={"model_dir": str(folder)}, headers=headers)
            assert answer.status_code == 200, answer.text
        stop.set()
        answered = sum(f.result() for f in futures)
    assert not failures, f"{len(failures)} of {answered} requests failed, e.g. {failures[0]}"
    assert answered > 0
    assert len(versions) == 2, f"both models should have answered, saw {versions}"


def test_shared_state_reaches_another_process_once_per_change(tmp_path):
    from week05_ml_api.deploy import SharedState

    writer, reader = SharedState(tmp_path, "split"), SharedState(tmp_path, "split")
    assert reader.changed() is None and reader.read() is None, "nothing published yet"
    writer.publish({"share": 0.2})
    assert reader.changed() == {"share": 0.2}
    assert reader.changed() is None, "unchanged since the last read: no new content"
    writer.publish({"share": 0.5})
    assert reader.changed() == {"share": 0.5}
    assert not list(tmp_path.glob("*.tmp")), "the temporary file is renamed, never left behind"


def test_a_worker_whose_model_was_away_at_start_heals_by_itself(model_dir, tmp_path, monkeypatch):
    import shutil
    import time

    from fastapi.testclient import TestClient

    import week05_ml_api.predictor as predictor
    from week05_ml_api.app import create_app
    from week05_ml_api.settings import Settings

    monkeypatch.setattr(predictor, "RETRY_FIRST", 0.05)
    folder = tmp_path / "model"  # not there yet: a volume mounted late, a registry down
    with TestClient(create_app(Settings(model_dir=folder, _env_file=None))) as client:
        first = client.get("/health/ready")
        assert first.status_code == 503 and "model.skops" in first.json()["detail"], first.text
        shutil.copytree(model_dir, folder)
        deadline = time.monotonic() + 20
        while client.get("/health/ready").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert client.get("/health/ready").status_code == 200, "the worker never got its model"


def test_a_failed_follow_is_tried_again_later_not_on_every_request(
    model_dir, other_model_dir, tmp_path, monkeypatch
):
    import asyncio
    import time

    import week05_ml_api.predictor as predictor
    from week05_ml_api.predictor import ModelStore, load_folder

    monkeypatch.setattr(predictor, "RETRY_FIRST", 0.2)
    deployer = ModelStore(run_dir=tmp_path)
    deployer.load(model_dir)
    tries: list[str] = []

    def flaky(source: str):
        tries.append(source)
        if source == str(other_model_dir) and tries.count(source) == 1:
            raise OSError("the disk is away")
        return load_folder(source)

    follower = ModelStore(run_dir=tmp_path, load=flaky)
    follower.start(model_dir)
    deployer.deploy(other_model_dir)
    asyncio.run(follower.follow())  # fails: the old model keeps serving
    asyncio.run(follower.follow())  # too soon: not tried on every request
    assert follower.require().version != deployer.require().version, "the old model serves"
    assert tries.count(str(other_model_dir)) == 1 and "disk is away" in (follower.error or "")
    time.sleep(0.25)
    asyncio.run(follower.follow())
    assert follower.require().version == deployer.require().version, "it never followed"
    assert follower.error is None
