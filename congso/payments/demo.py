"""Demo: a dossier of the demo citizen "congdan.an" waiting for a fee (status 6), to pay through the
sandbox gateway (`congso payments sandbox`, started by `congso demo`). Uses the dossier services."""

from congso.accounts.models import User
from congso.catalog.models import Procedure
from congso.directory import demo_codes as dc
from congso.directory.models import Agency
from congso.dossiers import services
from congso.dossiers.fees import suggested_fee
from congso.dossiers.models import Channel, FinancialObligation

WARD = "23575"  # phường Pleiku
DESCRIPTION = "Lệ phí cấp bản sao trích lục hộ tịch (2 bản)"


def load(out):
    ward = Agency.objects.filter(code=dc.commune_pc(WARD)).first()
    procedure = Procedure.objects.filter(code="1.001193").select_related("current_version").first()
    citizen = User.objects.filter(username="congdan.an").first()
    clerk = User.objects.filter(username="motcua.pleiku").first()
    if not (ward and procedure and procedure.current_version and citizen and clerk):
        out.write("  Thanh toán: bỏ qua (thiếu dữ liệu trình diễn).")
        return []
    if FinancialObligation.objects.filter(dossier__applicant=citizen, description=DESCRIPTION).exists():
        return []

    d = services.receive(
        actor=clerk,
        agency=ward,
        procedure_version=procedure.current_version,
        channel=Channel.ONLINE,
        applicant=services.Applicant(
            name=citizen.full_name, id_number="064090001234", phone="0905123456", user=citizen
        ),
        accept_now=True,
    )
    amount = suggested_fee(d) or 16000
    services.request_payment(d.pk, actor=clerk, amount=amount, description=DESCRIPTION)
    shown = f"{int(amount):,}".replace(",", ".")
    out.write(
        f"  Thanh toán: hồ sơ {d.code} của {citizen.full_name} chờ nộp {shown} đồng "
        f"— /thanh-toan/{d.code}/ (cổng thử nghiệm: congso payments sandbox)."
    )
    return []
