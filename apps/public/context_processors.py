"""What every public page needs to know about the site as a whole."""

from apps.goals.models import ProgressUpdate


def sample_data(request):
    """Whether any public figure is a sample, for the banner on every page. A callable, so the one
    query runs only on pages that show the banner (the public ones), not in the admin or emails."""

    def site_has_sample_data():
        return ProgressUpdate.objects.public().filter(is_sample=True).exists()

    return {"site_has_sample_data": site_has_sample_data}
