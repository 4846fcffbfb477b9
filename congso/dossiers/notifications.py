"""Tell the applicant about changes that concern them. Sending happens in a background job.

The one-stop issue needs the apology notice; the citizen-portal issue adds SMS and the other events
through the same ``notify_applicant`` entry point.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django_tasks import task

log = logging.getLogger(__name__)

SUBJECTS = {
    "extend": "Văn bản xin lỗi và hẹn lại ngày trả kết quả hồ sơ {code}",
}
BODIES = {
    "extend": (
        "Kính gửi {name},\n\n{agency} xin lỗi vì hồ sơ {code} ({procedure}) chưa giải quyết được đúng hẹn.\n"
        "Lý do: {reason}\nNgày hẹn trả kết quả mới: {new_due}.\n\nTra cứu hồ sơ: {site}\n"
    ),
}


@task()
def send_applicant_email(to: str, subject: str, body: str) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def notify_applicant(dossier, event: str, **context) -> None:
    """Queue the applicant's notification for ``event`` once the current transaction commits."""
    if not dossier.applicant_email or event not in SUBJECTS:
        return
    values = {
        "code": dossier.code,
        "name": dossier.applicant_name,
        "agency": dossier.current_agency.name,
        "procedure": dossier.procedure_version.procedure.name,
        "site": settings.SITE_URL,
        **context,
    }
    subject, body = SUBJECTS[event].format(**values), BODIES[event].format(**values)
    transaction.on_commit(lambda: send_applicant_email.enqueue(dossier.applicant_email, subject, body))
