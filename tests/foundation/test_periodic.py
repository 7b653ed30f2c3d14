"""The periodic-job loop: jobs enqueued on schedule with the JSON serializer, never piled up."""

from __future__ import annotations

import threading

from rq import SimpleWorker
from rq.serializers import JSONSerializer

from medianest.periodic import PeriodicJob, enqueue_if_idle, run
from medianest.queues import get_queue, rq_connection

JOB = PeriodicJob("probe", "os.getpid", interval=3600, queue="medianest-test-periodic")


def test_a_job_is_not_enqueued_again_while_its_last_run_waits(redis_url: str) -> None:
    connection = rq_connection(redis_url)
    queue = get_queue(JOB.queue, connection)
    assert enqueue_if_idle(connection, JOB) is True
    assert enqueue_if_idle(connection, JOB) is False
    assert queue.count == 1
    # a JSON worker can run it: it was not pickled
    SimpleWorker([queue], connection=connection, serializer=JSONSerializer).work(burst=True)
    assert queue.fetch_job("periodic-probe").get_status() == "finished"
    assert enqueue_if_idle(connection, JOB) is True


def test_the_loop_runs_every_job_at_start_and_stops_on_request(redis_url: str) -> None:
    connection = rq_connection(redis_url)
    other = PeriodicJob("other", "os.getpid", interval=3600, queue=JOB.queue)
    stop = threading.Event()
    thread = threading.Thread(target=run, args=(connection, [JOB, other], stop, 0.05), daemon=True)
    thread.start()
    stop.wait(0.5)
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert sorted(get_queue(JOB.queue, connection).job_ids) == ["periodic-other", "periodic-probe"]
