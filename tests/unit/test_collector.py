"""The garbage collector's settings while the API serves, and their restoring."""

import gc

from api.collector import YOUNG_THRESHOLD, serving_collector


def test_serving_collector_sets_and_restores_the_thresholds_and_freezes_start_up_objects() -> None:
    before = gc.get_threshold()
    survivor = [object()]  # tracked by the collector before serving starts
    with serving_collector():
        assert gc.get_threshold() == (YOUNG_THRESHOLD, *before[1:])
        assert gc.get_freeze_count() > 0
        assert not any(o is survivor for o in gc.get_objects())  # frozen: never scanned
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    assert any(o is survivor for o in gc.get_objects())
