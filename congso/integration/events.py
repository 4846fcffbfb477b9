"""The domain events the outbox publishes: their type names (stable, part of the webhook contract) and
Vietnamese labels for administrators choosing what a subscriber receives."""

from django.utils.translation import gettext_lazy as _

EVENT_TYPES = {
    "dossier.received": _("Hồ sơ được tiếp nhận hoặc nộp"),
    "dossier.status_changed": _("Hồ sơ chuyển trạng thái"),
    "dossier.updated": _("Hồ sơ có diễn biến mới (không đổi trạng thái)"),
    "dossier.result_issued": _("Hồ sơ được ban hành kết quả"),
    "payment.recorded": _("Phí, lệ phí được thanh toán trực tuyến"),
    "rating.given": _("Người dân đánh giá mức độ hài lòng"),
    "procedure.changed": _("Thủ tục hành chính thay đổi trong danh mục"),
    "feedback.received": _("Phản ánh, kiến nghị được tiếp nhận"),
    "feedback.status_changed": _("Phản ánh, kiến nghị chuyển trạng thái"),
    "feedback.answered": _("Phản ánh, kiến nghị có trả lời công khai"),
    "feedback.rated": _("Người phản ánh đánh giá kết quả xử lý"),
    "document.incoming_registered": _("Văn bản đến được vào sổ"),
    "document.status_changed": _("Văn bản chuyển trạng thái"),
    "document.released": _("Văn bản đi được phát hành"),
    "integration.ping": _("Thử kết nối (nút “Gửi thử”)"),
}

# what a subscriber may ask for in its list ("*" stands for every event, the ping excluded)
SUBSCRIBABLE = [key for key in EVENT_TYPES if key != "integration.ping"]
