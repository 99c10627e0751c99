"""What a transaction will still do when it commits: the one place that reads Django's queue
of on-commit callbacks (``connection.run_on_commit``, a list of ``(savepoint ids, callback,
robust)``). Django drops a rolled-back savepoint's callbacks and keeps a released one's with
its transaction, so a callback still waiting is one whose savepoint still stands."""

from django.db import connection, transaction


def waiting_for_commit(callback):
    """Whether ``callback`` is registered with ``transaction.on_commit`` and still waiting."""
    return connection.in_atomic_block and any(
        registered is callback for _savepoints, registered, _robust in connection.run_on_commit
    )


class CommitWitness:
    """Made inside a transaction, it learns whether what was written beside it commits: it
    :meth:`holds` while its savepoint stands and after the commit, not after a rollback.
    Made outside one (autocommit), what was written beside it has committed already."""

    def __init__(self):
        self.committed = not connection.in_atomic_block
        if not self.committed:
            transaction.on_commit(self)

    def __call__(self):
        self.committed = True

    def holds(self):
        return self.committed or waiting_for_commit(self)
