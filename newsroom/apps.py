from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    """The project's shared pieces (Arabic text, anti-spam, admin language) as an app.

    Being an installed app gives it template tags and a place for management commands.
    Its label stays `newsroom` (the Python package); the name people read is "Site-wide
    pieces", so it is not mistaken for the newsroom itself (the admin) or the site's name.
    """

    name = "newsroom"
    verbose_name = _("Site-wide pieces")
