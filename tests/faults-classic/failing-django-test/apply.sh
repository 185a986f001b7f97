#!/bin/sh
# A message is now shown as "name (email)" in the admin; the model test pins "name <email>".
set -eu
sed -i 's/        return f"{self.name} <{self.email}>"/        return f"{self.name} ({self.email})"/' contact/models.py
grep -q '        return f"{self.name} ({self.email})"' contact/models.py
