from django.test import TestCase

from contact.models import Message


class MessageModelTests(TestCase):
    def test_str_shows_name_and_email(self):
        message = Message(name="Ada Lovelace", email="ada@example.com", message="Hi")
        self.assertEqual(str(message), "Ada Lovelace <ada@example.com>")

    def test_new_messages_are_unhandled_and_newest_first(self):
        first = Message.objects.create(name="A", email="a@example.com", message="1")
        second = Message.objects.create(name="B", email="b@example.com", message="2")
        Message.objects.filter(pk=first.pk).update(
            created_at=second.created_at.replace(year=second.created_at.year - 1)
        )

        self.assertFalse(second.handled)
        self.assertEqual(list(Message.objects.all()), [second, first])
