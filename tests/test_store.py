"""Take folders in a session: numbered past the highest, never shared, and session.json keeps every update
when the browser room starts and discards takes from several threads at once."""
import threading

from voice_interviewer import store


def listed(session):
    return [t["take"] for t in session.meta()["takes"]]


def test_a_new_take_never_reuses_a_folder(tmp_path):
    session = store.Session.create(tmp_path)
    first, second, third = (session.new_take("q") for _ in range(3))
    session.discard_take(second)
    fourth = session.new_take("q")
    # counting the folders left (two) would have reused 03, which still holds a take
    assert fourth.name == "04-q"
    assert {p.name for p in (first, third, fourth)} == set(listed(session))
    assert store.take_meta(third)["status"] == store.RECORDING


def test_a_folder_still_being_removed_is_not_taken_over(tmp_path):
    session = store.Session.create(tmp_path)
    first = session.new_take("q")
    doomed = session.new_take("q")
    session.discard_take(first)
    # a discard of 02 in another thread has not finished: its folder is still there when the next take
    # starts (counting the one folder left would have named the new take 02 too)
    new = session.new_take("q")
    session.discard_take(doomed)
    assert new.name == "03-q" and (new / store.TAKE_FILE).is_file()
    assert listed(session) == [new.name]


def test_a_discarded_number_is_not_given_again(tmp_path):
    session = store.Session.create(tmp_path)
    first = session.new_take("q")
    discarded = session.new_take("q")
    session.discard_take(discarded)
    # the browser room's connection that made 02 cleans up by path after the discard (its video file): a
    # new take in a reused 02 would lose its files to it
    new = session.new_take("q")
    assert new.name == "03-q" and not discarded.exists()
    assert listed(session) == [first.name, new.name]


def test_takes_started_and_discarded_at_once_are_all_accounted_for(tmp_path):
    session = store.Session.create(tmp_path)
    kept, errors = [], []

    def worker(n):
        try:
            for i in range(15):
                take = session.new_take(f"q{n}")
                if i % 3 == 0:
                    session.discard_take(take)
                else:
                    kept.append(take.name)
                    assert (take / store.TAKE_FILE).is_file()
        except Exception as exc:  # noqa: BLE001 - reported below, from the main thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(listed(session)) == sorted(kept)
    assert len(set(kept)) == len(kept) == 40
    numbers = [name.split("-")[0] for name in kept]  # four questions at once: still one number per take
    assert len(set(numbers)) == len(numbers)
