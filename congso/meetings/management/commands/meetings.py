"""`congso meetings remind`: publish the papers of meetings whose day has come (N days before, per
meeting type) and remind the invitees of the next day's meetings. Run from cron (the platform has no
scheduler of its own), e.g. every 15 minutes; running it twice sends nothing twice."""

from django.core.management.base import BaseCommand

from congso.meetings import services


class Command(BaseCommand):
    help = (
        "Họp không giấy: gửi tài liệu đến hạn và nhắc lịch họp. Meetings: publish due papers, send reminders."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("remind", help="gửi tài liệu họp đến hạn, nhắc lịch họp ngày mai")

    def handle(self, *args, action, **options):
        if action == "remind":
            result = services.remind()
            self.stdout.write(
                f"Đã gửi tài liệu {result['published']} cuộc họp, nhắc lịch {result['reminded']} cuộc họp."
            )
