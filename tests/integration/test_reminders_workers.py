"""Two real Celery workers on Redis run the reminder task at the same time:
each person still gets exactly one e-mail."""

import uuid
from datetime import timedelta
from pathlib import Path

import pytest

from sessions_app import reminders, tasks
from sessions_app.models import SentMessage
from tests.integration.conftest import CeleryProcess, wait_for
from tests.sessions_app.calendar_helpers import (
    agreed_member,
    group_with_lead,
    meeting_in,
)

pytestmark = pytest.mark.services

MESSAGE_SEPARATOR = "-" * 79


@pytest.fixture
def mail_workers(celery_env, tmp_path):
    """Two workers on a queue of their own, writing e-mail as files under
    ``tmp_path / "mail"`` (EMAIL_URL unset: the file backend under
    CIRCLE_VAR_DIR)."""
    env = {**celery_env, "CIRCLE_VAR_DIR": str(tmp_path)}
    env.pop("EMAIL_URL", None)
    queue = f"circle-reminders-{uuid.uuid4().hex[:8]}"
    workers = []
    try:
        for number in (1, 2):
            workers.append(
                CeleryProcess(
                    [
                        "worker",
                        "--pool=solo",
                        "--queues",
                        queue,
                        "--hostname",
                        f"reminders{number}-{queue}@%h",
                        "--loglevel=INFO",
                        "--without-gossip",
                        "--without-mingle",
                        "--without-heartbeat",
                    ],
                    env=env,
                    log_path=tmp_path / f"worker{number}.log",
                )
            )
        for worker in workers:
            assert wait_for(lambda w=worker: "ready." in w.output(), timeout=60), (
                worker.output()
            )
        yield queue, tmp_path / "mail", workers
    finally:
        for worker in workers:
            worker.stop()


def mail_messages(folder: Path) -> list[str]:
    if not folder.exists():
        return []
    found = []
    for path in folder.iterdir():
        for chunk in path.read_text().split(MESSAGE_SEPARATOR):
            if "Subject:" in chunk:
                found.append(chunk)
    return found


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_each_reminder_once(mail_workers):
    queue, mail_dir, workers = mail_workers
    group, lead = group_with_lead(name="Worker Circle")
    members = [agreed_member(group) for _ in range(6)]
    meeting = meeting_in(group, lead, timedelta(hours=20))
    people = {user.email for user in [*members, lead]}

    # The same task twice at once: one for each worker (prefetch is 1).
    for _ in range(2):
        tasks.send_member_reminders.apply_async(queue=queue)

    def both_done():
        logs = "".join(worker.output() for worker in workers)
        return logs.count("succeeded in") >= 2

    assert wait_for(both_done, timeout=60), [w.output() for w in workers]
    # Both workers really took part.
    assert all("send_member_reminders" in w.output() for w in workers)
    rows = SentMessage.objects.filter(kind=reminders.MEMBER_REMINDER, meeting=meeting)
    assert rows.count() == len(people)
    assert set(rows.values_list("recipient__email", flat=True)) == people
    messages = mail_messages(mail_dir)
    assert len(messages) == len(people)
    sent_to = sorted(
        line.removeprefix("To: ").strip()
        for message in messages
        for line in message.splitlines()
        if line.startswith("To: ")
    )
    assert sent_to == sorted(people)

    # A repeated beat tick later sends nothing more.
    tasks.send_member_reminders.apply_async(queue=queue)
    assert wait_for(
        lambda: "".join(w.output() for w in workers).count("succeeded in") >= 3,
        timeout=60,
    )
    assert len(mail_messages(mail_dir)) == len(people)
