import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings

from contact.models import Message

from .test_validators import PNG

KEY = "test-intake-key"


@override_settings(INTAKE_API_KEY=KEY)
class IntakeViewTests(TestCase):
    url = "/api/contact/"

    def post_json(self, data, key=KEY):
        return self.client.post(
            self.url,
            data,
            content_type="application/json",
            headers={"X-Intake-Key": key},
        )

    def test_stores_the_message_and_answers_its_id(self):
        response = self.post_json(
            {"name": "Ada Lovelace", "email": "ada@example.com", "message": "Hello"}
        )

        self.assertEqual(response.status_code, 201)
        message = Message.objects.get()
        self.assertEqual(response.json(), {"id": message.pk})
        self.assertEqual(message.email, "ada@example.com")

    def test_refuses_a_wrong_key(self):
        response = self.post_json(
            {"name": "Ada", "email": "ada@example.com", "message": "Hello"}, key="nope"
        )

        self.assertEqual(response.status_code, 403)
        self.assertFalse(Message.objects.exists())

    def test_answers_the_form_errors(self):
        response = self.post_json({"name": "Ada", "email": "not-an-email"})

        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()["errors"]), {"email", "message"})

    def test_stores_an_uploaded_attachment(self):
        with tempfile.TemporaryDirectory() as media, self.settings(MEDIA_ROOT=media):
            response = self.client.post(
                self.url,
                {
                    "name": "Ada",
                    "email": "ada@example.com",
                    "message": "Photo of the leak attached.",
                    "attachment": SimpleUploadedFile("leak.png", PNG),
                },
                headers={"X-Intake-Key": KEY},
            )

            self.assertEqual(response.status_code, 201)
            self.assertTrue(Message.objects.get().attachment.name.endswith(".png"))
