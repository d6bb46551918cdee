"""How long a fetch may wait on the broker, by load: the pure rule behind the worker's fetch pacing.

A broker that holds a waiting fetch until its wait runs out (the embedded Tansu does; Kafka
answers as soon as data arrives) adds up to one fetch wait to every hop between two agents. A
short wait keeps that small, at the price of empty fetches while the topics are quiet: each costs
the broker and the worker some CPU. Under load that CPU is taken from spaCy, and latency is queueing
anyway, so the worker waits long then, and short otherwise.
"""

from __future__ import annotations


def fetch_wait_for(batch: int, batch_size: int, light: float, busy: float) -> float:
    """The fetch wait after the extract agent took a batch of ``batch`` articles (at most ``batch_size``).

    A full batch means articles are waiting (a backlog): ``busy``. A batch the batch window cut short
    means the worker keeps up: ``light``.
    """
    return busy if batch >= batch_size else light
