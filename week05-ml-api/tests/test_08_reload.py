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
