"""Process templates: how an agency handles a procedure, as data administrators edit without code.

``template_for`` returns the agency's active template for a procedure, creating the default one the
first time: handle → review → approve and sign → issue, with 60/15/10/10 % of the time limit (the last
5 % is left for returning the result). Administrators change steps, roles, shares, branches
(``ProcessStep.next_steps``) and inter-agency steps (``ProcessStep.agency``) in the admin or the API.
"""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from congso.directory.models import Role

from .models import ProcessStep, ProcessTemplate

DEFAULT_STEPS = [
    (ProcessStep.Kind.HANDLE, "Thụ lý, thẩm định hồ sơ", Role.OFFICER, Decimal("60")),
    (ProcessStep.Kind.REVIEW, "Lãnh đạo phòng xem xét, trình ký", Role.LEADER, Decimal("15")),
    (ProcessStep.Kind.APPROVE, "Lãnh đạo cơ quan phê duyệt, ký", Role.LEADER, Decimal("10")),
    (ProcessStep.Kind.ISSUE, "Văn thư vào sổ, đóng dấu, phát hành", Role.CLERICAL, Decimal("10")),
]


def template_for(agency, procedure) -> ProcessTemplate:
    template = ProcessTemplate.objects.filter(agency=agency, procedure=procedure, is_active=True).first()
    if template:
        return template
    with transaction.atomic():
        template, created = ProcessTemplate.objects.get_or_create(
            agency=agency,
            procedure=procedure,
            defaults={"name": _("Quy trình mặc định: %(name)s") % {"name": procedure.name[:200]}},
        )
        if created:
            ProcessStep.objects.bulk_create(
                [
                    ProcessStep(
                        template=template, position=i, kind=kind, name=name, role=role, share_percent=share
                    )
                    for i, (kind, name, role, share) in enumerate(DEFAULT_STEPS, start=1)
                ]
            )
    return template
