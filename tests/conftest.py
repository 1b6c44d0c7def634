import pytest
from django.core.management import call_command


@pytest.fixture
def content(db):
    """The real questionnaire and measures catalogue from fixtures/, loaded and validated like `make run` does."""
    call_command("load_content", verbosity=0)


@pytest.fixture
def version(content):
    from standortbestimmung.services import current_version

    return current_version()
