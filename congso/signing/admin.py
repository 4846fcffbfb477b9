"""Administration of keys and trust anchors. Key material is never shown; imports go through services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from . import services
from .crypto import KeyMaterialError
from .keystore import SigningError
from .models import IssuedDocument, SignatureRecord, SigningKey, TrustAnchor


class Pkcs12ImportForm(forms.ModelForm):
    pkcs12_file = forms.FileField(label=_("Tệp PKCS#12 (.p12, .pfx)"))
    passphrase = forms.CharField(label=_("Mật khẩu của tệp"), widget=forms.PasswordInput, strip=False)

    class Meta:
        model = SigningKey
        fields = ["label", "kind", "user", "agency", "signer_name", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer_name"].required = False
        self.fields["signer_name"].help_text = _("Để trống để lấy tên trong chứng thư số.")

    def clean(self):
        data = super().clean()
        upload = data.get("pkcs12_file")
        if upload is not None and upload.size > 64 * 1024:
            raise forms.ValidationError(_("Tệp PKCS#12 quá lớn."))
        return data


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    list_display = ["label", "signer_name", "kind", "source", "agency", "not_after", "is_active"]
    list_filter = ["kind", "source", "is_active"]
    search_fields = ["label", "signer_name", "subject", "fingerprint"]
    readonly_fields = [
        "source",
        "certificate_pem",
        "chain_pem",
        "fingerprint",
        "subject",
        "issuer",
        "not_before",
        "not_after",
        "created_at",
    ]
    fields = ["label", "kind", "user", "agency", "signer_name", "position", "is_active", *readonly_fields]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = Pkcs12ImportForm
            kwargs["fields"] = None
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["pkcs12_file", "passphrase", "label", "kind", "user", "agency", "signer_name", "position"]
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        # imported here: pyhanko's signing stack takes most of a second to import, and admin modules
        # are imported by every process that sets Django up (workers, commands)

        data = form.cleaned_data
        try:
            key = services.import_pkcs12(
                data["pkcs12_file"].read(),
                data["passphrase"],
                label=data["label"],
                kind=data["kind"],
                actor=request.user,
                user=data.get("user"),
                agency=data.get("agency"),
                signer_name=data.get("signer_name", ""),
                position=data.get("position", ""),
            )
        except (KeyMaterialError, SigningError, PermissionDenied) as exc:
            messages.error(request, str(exc))
            raise PermissionDenied(str(exc)) from exc
        obj.pk = key.pk


@admin.register(TrustAnchor)
class TrustAnchorAdmin(admin.ModelAdmin):
    list_display = ["name", "source", "not_after", "is_active"]
    list_filter = ["source", "is_active"]
    readonly_fields = ["fingerprint", "subject", "not_after", "created_at"]
    exclude = ["private_key_encrypted"]


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "agency", "issued_at", "sha256"]
    list_filter = ["kind"]
    search_fields = ["code", "title", "sha256"]
    readonly_fields = [f.name for f in IssuedDocument._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(SignatureRecord)
class SignatureRecordAdmin(admin.ModelAdmin):
    list_display = ["signer_name", "kind", "level", "signed_at", "document"]
    list_filter = ["kind", "level"]
    readonly_fields = [f.name for f in SignatureRecord._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
