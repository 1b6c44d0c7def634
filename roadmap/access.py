"""Which roadmap a consultant may open: the one of an assessment they may open (built on its access rule)."""

from django.http import Http404

from roadmap.models import Roadmap
from standortbestimmung.access import get_assessment_for


def get_roadmap_for(request, key) -> Roadmap:
    """The roadmap of an assessment the logged-in consultant owns (staff: any); 404 for anything else."""
    roadmap = roadmap_of(get_assessment_for(request, key))
    if roadmap is None:
        raise Http404
    return roadmap


def roadmap_of(assessment) -> Roadmap | None:
    """The assessment's roadmap if it has one (an assessment started before a catalogue was published has not)."""
    roadmap = Roadmap.objects.select_related("catalogue").filter(assessment=assessment).first()
    if roadmap is not None:
        roadmap.assessment = assessment  # already loaded, with its version and client
    return roadmap
