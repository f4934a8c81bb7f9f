"""One source for the words of every status, type and role: its enum's label, and a short
label that is the same words (scbi/enums.py), so a form, a list, a report and a file name
a value alike (issue 17)."""

from __future__ import annotations

from flask_babel import force_locale

from scbi.enums import BY_NAME, label

# Where the French word is the code's own word, and so reads the same.
SAME_WORD_IN_FRENCH = {
    ("Role", "coach"),
    ("AssessorRole", "coach"),
    ("LinkPurpose", "invitation"),
    ("ParticipantKind", "coach"),  # an exchange's participant
    ("EngagementStatus", "active"),  # une mission active
}


def _as_words(code: str) -> str:
    return code.replace("_", " ").casefold()


def test_every_short_label_is_its_label_s_own_words(app):
    """A short label drops the gloss, never changes the word: 'co-led' for 'Co-led — we
    do, you lead' ('self study' for 'Guided self-study' was another word)."""
    with app.test_request_context():
        for name, enum in BY_NAME.items():
            for member in enum:
                assert member.label.casefold().startswith(member.short.casefold()), (
                    name,
                    member.value,
                )


def test_in_french_every_label_is_a_word_not_the_code(app):
    with app.test_request_context(), force_locale("fr"):
        as_code = {
            (name, member.value)
            for name, enum in BY_NAME.items()
            for member in enum
            if member.label.casefold() == _as_words(member.value)
        }
    assert as_code == SAME_WORD_IN_FRENCH


def test_a_stored_string_reads_as_its_member_s_label(app):
    """The ``label`` filter of templates: a stored value by its enum's name."""
    with app.test_request_context(), force_locale("fr"):
        assert label("co_led", "MenteeRole") == BY_NAME["MenteeRole"]("co_led").label
        assert label("co_led", "MenteeRole", short=True) == "a codirigé"
        assert label("submitted", "LogAction") == label("submitted", "LogStatus") == "soumise"
        assert label("not a code", "LogAction") == "not a code"
