import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

# What people send with an enquiry: photos and PDFs (plans, quotes, invoices).
ALLOWED_ATTACHMENT_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/webp",
}


def validate_attachment(file):
    """Check the attachment's size and its real type (from its bytes, not its name)."""
    limit = settings.CONTACT_ATTACHMENT_MAX_SIZE
    if file.size > limit:
        raise ValidationError(
            "The attachment is larger than %(limit)s.",
            code="too_large",
            params={"limit": filesizeformat(limit)},
        )

    head = file.read(2048)
    file.seek(0)
    mime_type = magic.from_buffer(head, mime=True)
    if mime_type not in ALLOWED_ATTACHMENT_TYPES:
        raise ValidationError(
            "Attachments must be a PDF or an image, not %(type)s.",
            code="invalid_type",
            params={"type": mime_type},
        )
