import base64

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings

from contact.validators import validate_attachment

# A 1x1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4"
    "2mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


class ValidateAttachmentTests(TestCase):
    def test_accepts_an_image(self):
        validate_attachment(SimpleUploadedFile("photo.png", PNG))

    def test_rejects_a_file_whose_name_lies_about_its_type(self):
        upload = SimpleUploadedFile("invoice.pdf", b"#!/bin/sh\necho not a pdf\n")
        with self.assertRaises(ValidationError) as caught:
            validate_attachment(upload)
        self.assertEqual(caught.exception.code, "invalid_type")

    @override_settings(CONTACT_ATTACHMENT_MAX_SIZE=16)
    def test_rejects_a_file_over_the_size_limit(self):
        with self.assertRaises(ValidationError) as caught:
            validate_attachment(SimpleUploadedFile("photo.png", PNG))
        self.assertEqual(caught.exception.code, "too_large")
