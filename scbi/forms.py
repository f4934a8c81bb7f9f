"""The base form (WTForms with session CSRF through Flask-WTF) and shared helpers."""

from __future__ import annotations

from flask_wtf import FlaskForm

from scbi.errors import DomainError


class BaseForm(FlaskForm):
    """Every web form: CSRF token tied to the session, errors kept per field.

    ``form_errors`` holds messages that belong to no single field (shown above the form).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._top_errors: list[str] = []

    @property
    def top_errors(self) -> list[str]:
        return list(self.form_errors) + self._top_errors

    def add_error(self, message: str) -> None:
        self._top_errors.append(message)

    def apply(self, error: DomainError, aliases: dict[str, str] | None = None) -> None:
        """Show a service's refusal beside the fields it names (the input stays typed)."""
        aliases = aliases or {}
        for name, messages in error.fields.items():
            field = self._fields.get(aliases.get(name, name))
            if field is None:
                self._top_errors.extend(messages)
            else:
                field.errors = [*field.errors, *messages] if field.errors else list(messages)
        if not error.fields:
            self._top_errors.append(error.message)
